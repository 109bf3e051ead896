"""The one table of a project's status moves (申报 → 评审 → 立项 → 实施 → 中期评估 → 结项评估 → 结项, or 终止 from any
stage before the end). services.project_transition reads it; pages offer only the moves it allows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    APPLIED = "applied", _("Application")
    REVIEW = "review", _("Under review")
    APPROVED = "approved", _("Approved")
    IMPLEMENTING = "implementing", _("Being implemented")
    MIDTERM = "midterm", _("Mid-term evaluation")
    FINAL_EVALUATION = "final_evaluation", _("Final evaluation")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.APPLIED: (Status.REVIEW, Status.TERMINATED),
    Status.REVIEW: (Status.APPROVED, Status.TERMINATED),
    Status.APPROVED: (Status.IMPLEMENTING, Status.TERMINATED),
    Status.IMPLEMENTING: (Status.MIDTERM, Status.TERMINATED),
    Status.MIDTERM: (Status.FINAL_EVALUATION, Status.TERMINATED),
    Status.FINAL_EVALUATION: (Status.COMPLETED, Status.TERMINATED),
    Status.COMPLETED: (),
    Status.TERMINATED: (),
}

# From 立项 on the contract stands: money may be paid and milestones met.
CONTRACTED = (
    Status.APPROVED,
    Status.IMPLEMENTING,
    Status.MIDTERM,
    Status.FINAL_EVALUATION,
    Status.COMPLETED,
)
# A terminated project gets a reason.
NEEDS_NOTE = (Status.TERMINATED,)


def allowed_moves(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())
