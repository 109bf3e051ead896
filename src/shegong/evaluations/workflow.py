"""The statuses that move in evaluations, each as one ``Workflow`` (lib/workflow.py): an evaluation (自评 → 评估中
→ 已定级) and a rectification item (整改中 → 已整改).

The evaluator's first score moves an evaluation from self-assessment to being evaluated (scores_set); finalising
totals and grades it (evaluation_finalise), which needs every indicator scored. The station reports an item
rectified (rectification_close)."""

from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.evaluations.models import EvaluationStatus, RectificationStatus
from shegong.lib.workflow import Move, Workflow


def _all_scored(evaluation) -> str | None:
    missing = evaluation.scores.filter(score__isnull=True).count()
    if missing:
        return _("%(n)d indicators have no evaluator's score yet.") % {"n": missing}
    return None


def _evaluator(to: str, **options) -> Move:
    return Move(to, capability=Cap.NETWORK_MANAGE, **options)


EVALUATION_WORKFLOW = Workflow(
    EvaluationStatus,
    {
        EvaluationStatus.SELF: (
            _evaluator(EvaluationStatus.EVALUATING),
            _evaluator(EvaluationStatus.FINAL, guard=_all_scored),
        ),
        EvaluationStatus.EVALUATING: (_evaluator(EvaluationStatus.FINAL, guard=_all_scored),),
        EvaluationStatus.FINAL: (),
    },
    initial=[EvaluationStatus.SELF],
)

RECTIFICATION_WORKFLOW = Workflow(
    RectificationStatus,
    {
        RectificationStatus.OPEN: (Move(RectificationStatus.CLOSED, capability=Cap.DATA_EDIT),),
        RectificationStatus.CLOSED: (),
    },
    initial=[RectificationStatus.OPEN],
)
