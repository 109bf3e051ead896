"""The case workflow after MZ/T 094-2017, as one ``Workflow`` (lib/workflow.py).

Each stage lists the stages that may follow it. A move marked ``approval`` is asked for by the case worker and
made only when someone holding the approver's capability (督导), other than the person who asked, approves it. A
move also needs what its stage must have produced (``requires``): no plan without an assessment report, no closure
without a reason and a summary. Nothing else decides what may follow what: services.case_transition and
services.approval_decide move by CASE_WORKFLOW, and the page and the API call those services.
"""

from django.utils.translation import gettext_lazy as _

from shegong.accounts.roles import Cap
from shegong.casework.models import EventKind, Stage
from shegong.lib.workflow import Move, Workflow


def _step(to: str, **options) -> Move:
    """Every move is a case worker's (data.edit); those that need approval, a supervisor's (case.approve)."""
    return Move(to, capability=Cap.DATA_EDIT, approver=Cap.CASE_APPROVE, **options)


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

CASE_MOVES = {
    # 接案: accepted, or not accepted / referred at intake (a closure, which a supervisor approves).
    Stage.INTAKE: (
        _step(Stage.ASSESSMENT, requires=(("agreement_signed", _("Record the signed service agreement.")),)),
        _step(Stage.CLOSURE, approval=True, requires=CLOSURE_READY),
    ),
    Stage.ASSESSMENT: (_step(Stage.PLAN, requires=ASSESSMENT_DONE),),
    # 计划: the supervisor approves the plan before the intervention starts.
    Stage.PLAN: (_step(Stage.INTERVENTION, approval=True, requires=PLAN_DONE),),
    Stage.INTERVENTION: (_step(Stage.EVALUATION),),
    # 评估: goals met → closure (approved); not met → back to the intervention.
    Stage.EVALUATION: (
        _step(Stage.CLOSURE, approval=True, requires=EVALUATION_DONE + CLOSURE_READY),
        _step(Stage.INTERVENTION, requires=EVALUATION_DONE),
    ),
    Stage.CLOSURE: (_step(Stage.FOLLOW_UP),),
    Stage.FOLLOW_UP: (),
}


def _record(case, from_stage: str, to_stage: str, *, actor, note: str = "") -> None:
    case.events.create(
        kind=EventKind.MOVED, from_stage=from_stage, to_stage=to_stage, actor=actor, note=note[:500]
    )


CASE_WORKFLOW = Workflow(Stage, CASE_MOVES, field="stage", initial=[Stage.INTAKE], history=_record)


def next_stages(stage: str) -> tuple[Move, ...]:
    """The moves from ``stage`` (the API lists them with whether each needs approval)."""
    return CASE_WORKFLOW.moves.get(stage, ())
