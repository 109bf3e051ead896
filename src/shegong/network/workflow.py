"""The status of a facility (规划中 → 建设中 → 已建成 → 运营中 ⇄ 暂停; 撤销 from any non-final state), as one
``Workflow``. services.facility_change_status moves by it; the status form offers only what it allows."""

from shegong.accounts.roles import Cap
from shegong.lib.workflow import Move, Workflow
from shegong.network.models import FacilityStatus, StatusChange


def _record(facility, from_status: str, to_status: str, *, actor, on, note: str = "") -> None:
    change = StatusChange(
        facility=facility, from_status=from_status, to_status=to_status, changed_on=on, note=note, actor=actor
    )
    change.full_clean()
    change.save()


def _moves(*targets: str) -> tuple[Move, ...]:
    return tuple(Move(t, capability=Cap.NETWORK_MANAGE) for t in targets)


FACILITY_WORKFLOW = Workflow(
    FacilityStatus,
    {
        FacilityStatus.PLANNED: _moves(FacilityStatus.BUILDING, FacilityStatus.CLOSED),
        FacilityStatus.BUILDING: _moves(FacilityStatus.BUILT, FacilityStatus.CLOSED),
        FacilityStatus.BUILT: _moves(FacilityStatus.OPERATING, FacilityStatus.CLOSED),
        FacilityStatus.OPERATING: _moves(FacilityStatus.SUSPENDED, FacilityStatus.CLOSED),
        FacilityStatus.SUSPENDED: _moves(FacilityStatus.OPERATING, FacilityStatus.CLOSED),
        FacilityStatus.CLOSED: (),
    },
    # A facility is registered in whatever status it has reached (facility_create); planned is the usual start.
    initial=FacilityStatus.values,
    history=_record,
    error_key="to_status",
)
