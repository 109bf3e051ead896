import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.lib.guard import Refused
from shegong.network import services
from shegong.network.models import Facility, FacilityStatus, Kind, StatusChange
from shegong.network.tests.factories import make_facility
from shegong.network.workflow import FACILITY_WORKFLOW
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db


def _region(code):
    return Region.objects.get(code=code)


def test_a_registered_facility_starts_its_history_with_its_first_status(users):
    facility = services.facility_create(
        actor=users["county"],
        kind=Kind.TOWNSHIP_STATION,
        region=_region("522301001"),
        name="黄草街道社工站",
        status=FacilityStatus.OPERATING,
        status_date=dt.date(2023, 5, 1),
        floor_area=120,
    )
    change = facility.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_on) == ("", "operating", dt.date(2023, 5, 1))
    assert facility.built_on == dt.date(2023, 5, 1)
    assert facility.created_by == users["county"]


def test_a_facility_must_be_bound_to_a_division_of_its_level(users):
    with pytest.raises(ValidationError) as exc:
        services.facility_create(
            actor=users["county"], kind=Kind.TOWNSHIP_STATION, region=_region("522301"), name="x"
        )
    assert "region" in exc.value.message_dict


def test_an_administrator_cannot_register_outside_the_jurisdiction(users):
    with pytest.raises(ValidationError) as exc:
        services.facility_create(
            actor=users["county"], kind=Kind.TOWNSHIP_STATION, region=_region("522302001"), name="x"
        )
    assert "region" in exc.value.message_dict
    assert not Facility.objects.exists()


def test_a_township_has_one_open_station_but_a_closed_one_does_not_count(users):
    old = make_facility("522301001", status=FacilityStatus.OPERATING)
    with pytest.raises(ValidationError):
        make_facility("522301001", status=FacilityStatus.PLANNED)
    services.facility_change_status(
        actor=None, facility=old, to_status=FacilityStatus.CLOSED, on=dt.date(2024, 1, 1)
    )
    assert make_facility("522301001", status=FacilityStatus.PLANNED).pk


def test_management_units_may_have_several_stations_on_one_county_code():
    make_facility("522301", kind=Kind.UNIT_STATION, name="开发区社工站")
    assert make_facility("522301", kind=Kind.UNIT_STATION, name="农场社工站").pk


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (s, t, t in FACILITY_WORKFLOW.targets(s))
        for s in FacilityStatus.values
        for t in FacilityStatus.values
        if s != t
    ],
)
def test_status_moves_follow_the_transition_table(start, to, allowed):
    facility = make_facility("522301001", status=start)
    if allowed:
        services.facility_change_status(actor=None, facility=facility, to_status=to, on=dt.date(2024, 1, 1))
        facility.refresh_from_db()
        assert facility.status == to
        assert facility.status_since == dt.date(2024, 1, 1)
    else:
        with pytest.raises(ValidationError):
            services.facility_change_status(actor=None, facility=facility, to_status=to)
        facility.refresh_from_db()
        assert facility.status == start
        assert facility.status_changes.count() == 1


def test_the_transition_table_is_the_issue_s_workflow():
    assert FACILITY_WORKFLOW.targets(FacilityStatus.PLANNED) == (
        FacilityStatus.BUILDING,
        FacilityStatus.CLOSED,
    )
    assert FACILITY_WORKFLOW.targets(FacilityStatus.OPERATING) == (
        FacilityStatus.SUSPENDED,
        FacilityStatus.CLOSED,
    )
    assert FACILITY_WORKFLOW.targets(FacilityStatus.SUSPENDED) == (
        FacilityStatus.OPERATING,
        FacilityStatus.CLOSED,
    )
    assert FACILITY_WORKFLOW.targets(FacilityStatus.CLOSED) == ()


def test_a_full_life_is_recorded_with_dates_and_built_on_is_kept_after_suspension(users):
    facility = make_facility("522301001", status=FacilityStatus.PLANNED, status_date=dt.date(2022, 1, 1))
    for status, day in [
        ("building", dt.date(2022, 3, 1)),
        ("built", dt.date(2022, 9, 1)),
        ("operating", dt.date(2022, 10, 1)),
        ("suspended", dt.date(2023, 2, 1)),
        ("operating", dt.date(2023, 3, 1)),
    ]:
        services.facility_change_status(actor=users["county"], facility=facility, to_status=status, on=day)
    facility.refresh_from_db()
    assert facility.built_on == dt.date(2022, 9, 1)
    moves = list(StatusChange.objects.filter(facility=facility).values_list("to_status", flat=True))
    assert moves == ["planned", "building", "built", "operating", "suspended", "operating"]


def test_a_status_date_may_be_neither_in_the_future_nor_before_the_current_status():
    facility = make_facility("522301001", status=FacilityStatus.PLANNED, status_date=dt.date(2023, 1, 1))
    with pytest.raises(ValidationError):
        services.facility_change_status(
            actor=None,
            facility=facility,
            to_status="building",
            on=timezone.localdate() + dt.timedelta(days=2),
        )
    with pytest.raises(ValidationError):
        services.facility_change_status(
            actor=None, facility=facility, to_status="building", on=dt.date(2022, 1, 1)
        )


def test_the_county_administrator_cannot_move_a_station_of_another_county(users):
    facility = make_facility("522302001", status=FacilityStatus.PLANNED)
    with pytest.raises(Refused):
        services.facility_change_status(actor=users["county"], facility=facility, to_status="building")
    facility.refresh_from_db()
    assert facility.status == FacilityStatus.PLANNED


def test_details_can_be_edited_but_not_the_status_through_update(users):
    facility = make_facility("522301001")
    services.facility_update(actor=users["worker"], facility=facility, contact_name="张三", floor_area=80)
    facility.refresh_from_db()
    assert (facility.contact_name, facility.floor_area) == ("张三", 80)
    with pytest.raises(TypeError):
        services.facility_update(actor=users["county"], facility=facility, status="closed")
