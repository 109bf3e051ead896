"""The status of a government-purchased service project (申报 → 评审 → 立项 → 实施 → 中期评估 → 结项评估 → 结项, or
终止 from any stage before the end), as one ``Workflow``. services.project_transition moves by it; pages offer
only the moves it allows.

"Project" here is always a purchased one (购买服务项目, PurchaseStatus); community's mutual-aid projects have their
own MutualAidStatus."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.lib.workflow import Move, Workflow


class PurchaseStatus(models.TextChoices):
    APPLIED = "applied", _("Application")
    REVIEW = "review", _("Under review")
    APPROVED = "approved", _("Approved")
    IMPLEMENTING = "implementing", _("Being implemented")
    MIDTERM = "midterm", _("Mid-term evaluation")
    FINAL_EVALUATION = "final_evaluation", _("Final evaluation")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


S = PurchaseStatus

# From 立项 on the contract stands: money may be paid and milestones met.
CONTRACTED = (
    S.APPROVED,
    S.IMPLEMENTING,
    S.MIDTERM,
    S.FINAL_EVALUATION,
    S.COMPLETED,
)
# A terminated project gets a reason.
NEEDS_NOTE = (S.TERMINATED,)


def _milestones_met(project) -> str | None:
    if project.milestones.filter(met_on__isnull=True).exists():
        return _("Every milestone must be met before the project is completed.")
    return None


def _record(project, from_status: str, to_status: str, *, actor, on, note: str = "") -> None:
    project.events.create(from_status=from_status, to_status=to_status, on=on, note=note[:300], actor=actor)


def _step(to: str, **options) -> tuple[Move, Move]:
    """The next stage, or termination."""
    return (
        Move(to, capability=Cap.NETWORK_MANAGE, **options),
        Move(S.TERMINATED, capability=Cap.NETWORK_MANAGE),
    )


PURCHASE_WORKFLOW = Workflow(
    PurchaseStatus,
    {
        S.APPLIED: _step(S.REVIEW),
        S.REVIEW: _step(S.APPROVED),
        S.APPROVED: _step(S.IMPLEMENTING),
        S.IMPLEMENTING: _step(S.MIDTERM),
        S.MIDTERM: _step(S.FINAL_EVALUATION),
        S.FINAL_EVALUATION: _step(S.COMPLETED, guard=_milestones_met),
        S.COMPLETED: (),
        S.TERMINATED: (),
    },
    initial=[S.APPLIED],
    history=_record,
)
