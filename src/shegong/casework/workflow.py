"""The case workflow after MZ/T 094-2017, as one table.

Each stage lists the stages that may follow it. A move marked ``approval`` is asked for by the case worker and
made only when someone holding the approver's capability, other than the person who asked, approves it. A move
also needs what its stage must have produced (``requires``): no plan without an assessment report, no closure
without a reason and a summary. Nothing else decides what may follow what: services.case_transition and
services.approval_decide read this table, and the page and the API call those services.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.casework.models import Stage


@dataclass(frozen=True)
class Move:
    to: str
    approval: bool = False
    approver: str = Cap.CASE_APPROVE
    # Fields of the case that must be filled before the move, with what to tell the user otherwise.
    requires: tuple[tuple[str, str], ...] = field(default_factory=tuple)


ASSESSMENT_DONE = (
    ("needs", _("Record the needs found by the assessment.")),
    ("assessment_report", _("Write the assessment report.")),
)
PLAN_DONE = (
    ("plan_goals", _("Write the goals of the plan.")),
    ("plan_actions", _("Write the strategies and actions of the plan.")),
    ("plan_timetable", _("Write the timetable of the plan.")),
)
EVALUATION_DONE = (
    ("attainment", _("Record how far the goals were attained.")),
    ("evaluation_report", _("Write the evaluation report.")),
)
CLOSURE_READY = (
    ("closure_reason", _("Give the reason for closure.")),
    ("closure_summary", _("Write the closing summary.")),
)

TRANSITIONS: dict[str, tuple[Move, ...]] = {
    # 接案: accepted, or not accepted / referred at intake (a closure, which a supervisor approves).
    Stage.INTAKE: (
        Move(Stage.ASSESSMENT, requires=(("agreement_signed", _("Record the signed service agreement.")),)),
        Move(Stage.CLOSURE, approval=True, requires=CLOSURE_READY),
    ),
    Stage.ASSESSMENT: (Move(Stage.PLAN, requires=ASSESSMENT_DONE),),
    # 计划: the supervisor approves the plan before the intervention starts.
    Stage.PLAN: (Move(Stage.INTERVENTION, approval=True, requires=PLAN_DONE),),
    Stage.INTERVENTION: (Move(Stage.EVALUATION),),
    # 评估: goals met → closure (approved); not met → back to the intervention.
    Stage.EVALUATION: (
        Move(Stage.CLOSURE, approval=True, requires=EVALUATION_DONE + CLOSURE_READY),
        Move(Stage.INTERVENTION, requires=EVALUATION_DONE),
    ),
    Stage.CLOSURE: (Move(Stage.FOLLOW_UP),),
    Stage.FOLLOW_UP: (),
}


def move_for(from_stage: str, to_stage: str) -> Move | None:
    for move in TRANSITIONS.get(from_stage, ()):
        if move.to == to_stage:
            return move
    return None


def next_stages(stage: str) -> tuple[Move, ...]:
    return TRANSITIONS.get(stage, ())
