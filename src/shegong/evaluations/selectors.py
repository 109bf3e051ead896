"""Reads of evaluations, always through the user's scope (lib/scoping.py)."""

import datetime as dt

from django.db.models import Count, QuerySet
from django.utils import timezone

from shegong.accounts.roles import Cap
from shegong.evaluations.models import (
    Evaluation,
    EvaluationStatus,
    IndicatorSystem,
    Rectification,
    RectificationStatus,
    Round,
)
from shegong.lib.scoping import (
    applies_q,
    code_prefix_q,
    get_scoped_or_404,
    in_region,
    narrowed,
    row_or_404,
    scope_to_user,
)


def system_list(*, user, subject: str = "") -> QuerySet:
    """The starting templates, the systems of the regions above the user, and those inside the jurisdiction."""
    if user is None or not user.is_authenticated or not user.can(Cap.DATA_VIEW):
        return IndicatorSystem.objects.none()
    qs = IndicatorSystem.objects.filter(
        applies_q("region_id", user.jurisdiction_code, templates=True, inside=True)
    ).select_related("region")
    qs = narrowed(qs, subject=subject)
    return qs.order_by("region_id", "name")


def system_get(*, user, pk) -> IndicatorSystem:
    return row_or_404(system_list(user=user), pk=pk)


def system_get_for_edit(*, user, pk) -> IndicatorSystem:
    return get_scoped_or_404(IndicatorSystem.objects.all(), user, Cap.NETWORK_MANAGE, pk=pk)


def evaluation_list(
    *, user, project=None, facility=None, round=None, status: str = "", region: str = ""
) -> QuerySet:
    qs = scope_to_user(
        Evaluation.objects.select_related("system", "facility", "project", "round", "region"), user
    )
    if project is not None:
        qs = qs.filter(project=project)
    if facility is not None:
        qs = qs.filter(facility=facility)
    if round is not None:
        qs = qs.filter(round=round)
    if status in EvaluationStatus.values:
        qs = qs.filter(status=status)
    qs = in_region(qs, user, "region_id", region)
    return qs.order_by("-started_at", "region_id", "-id")


def evaluation_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Evaluation:
    return get_scoped_or_404(
        Evaluation.objects.select_related("system", "facility", "project", "round", "region", "evaluator"),
        user,
        capability,
        pk=pk,
    )


def evaluation_scores(*, user, evaluation: Evaluation) -> list[dict]:
    """Scores grouped by dimension, with each dimension's subtotals."""
    scores = scope_to_user(evaluation.scores.select_related("indicator__dimension"), user)
    groups: dict[int, dict] = {}
    for score in scores:
        dimension = score.indicator.dimension
        group = groups.setdefault(
            dimension.pk, {"dimension": dimension, "rows": [], "points": 0, "self": 0, "score": 0}
        )
        group["rows"].append(score)
        group["points"] += score.indicator.points
        group["self"] += score.self_score or 0
        group["score"] += score.score or 0
    return sorted(groups.values(), key=lambda g: g["dimension"].position)


def round_list(*, user) -> QuerySet:
    return scope_to_user(Round.objects.select_related("system", "region"), user).order_by("-launched_at")


def round_get(*, user, pk) -> Round:
    return get_scoped_or_404(Round.objects.select_related("system", "region"), user, pk=pk)


def round_progress(*, user, round: Round) -> dict:
    counts = dict(
        evaluation_list(user=user, round=round).values_list("status").annotate(n=Count("id")).order_by()
    )
    total = sum(counts.values())
    done = counts.get(EvaluationStatus.FINAL, 0)
    return {
        "total": total,
        "by_status": [(value, label, counts.get(value, 0)) for value, label in EvaluationStatus.choices],
        "final": done,
        "percent": round_percent(done, total),
    }


def round_percent(done: int, total: int) -> int:
    return int(done * 100 / total) if total else 0


def rectification_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Rectification:
    return get_scoped_or_404(Rectification.objects.select_related("evaluation"), user, capability, pk=pk)


def evaluation_figures(*, user, region: str, since: dt.date, until: dt.date) -> dict:
    """For the bulletin: evaluations finalised in the period by grade, rectification items open and overdue."""
    finalised = evaluation_list(user=user, region=region, status=EvaluationStatus.FINAL).filter(
        finalised_on__gte=since, finalised_on__lte=until
    )
    grades = dict(finalised.values_list("grade").annotate(n=Count("id")).order_by())
    open_items = scope_to_user(Rectification.objects.all(), user).filter(
        code_prefix_q("evaluation__region_id", region), status=RectificationStatus.OPEN
    )
    today = timezone.localdate()
    return {
        "finalised": sum(grades.values()),
        "by_grade": {str(stars): grades.get(stars, 0) for stars in range(5, 0, -1)},
        "in_progress": evaluation_list(user=user, region=region)
        .exclude(status=EvaluationStatus.FINAL)
        .count(),
        "rectification_open": open_items.count(),
        "rectification_overdue": open_items.filter(due_on__lt=today).count(),
    }
