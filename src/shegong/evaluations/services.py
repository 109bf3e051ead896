"""Writes of evaluations: building indicator systems, evaluating a station or project, rounds, rectification."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.evaluations.models import (
    Dimension,
    Evaluation,
    EvaluationStatus,
    Indicator,
    IndicatorSystem,
    Rectification,
    RectificationStatus,
    Round,
    Score,
    Subject,
    grade_for,
)
from shegong.evaluations.workflow import EVALUATION_WORKFLOW, RECTIFICATION_WORKFLOW
from shegong.lib.guard import require, require_choice
from shegong.lib.rows import save_valid
from shegong.lib.scoping import code_prefix_q
from shegong.network.models import BUILT_STATUSES, TOWNSHIP_KINDS, Facility


def _editable(system: IndicatorSystem) -> None:
    if system.is_template:
        raise ValidationError(_("A starting template is not edited; copy it into your region first."))
    if system.evaluations.exists():
        raise ValidationError(_("This system is already in use; copy it to change it."))


# --- Indicator systems ---------------------------------------------------------------------------


@transaction.atomic
def system_create(*, actor, name: str, subject: str, region, description: str = "") -> IndicatorSystem:
    require(actor, Cap.NETWORK_MANAGE)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    system = IndicatorSystem(
        name=(name or "").strip(), subject=subject, region=region, description=description.strip()
    )
    return save_valid(system)


@transaction.atomic
def system_copy(*, actor, system: IndicatorSystem, region, name: str = "") -> IndicatorSystem:
    require(actor, Cap.NETWORK_MANAGE)
    copy = system_create(
        actor=actor,
        name=name or system.name,
        subject=system.subject,
        region=region,
        description=system.description,
    )
    copy.source = system
    copy.save(update_fields=["source"])
    for dimension in system.dimensions.prefetch_related("indicators"):
        new = Dimension.objects.create(system=copy, position=dimension.position, name=dimension.name)
        Indicator.objects.bulk_create(
            [
                Indicator(dimension=new, position=i.position, name=i.name, points=i.points, notes=i.notes)
                for i in dimension.indicators.all()
            ]
        )
    return copy


@transaction.atomic
def dimension_add(*, actor, system: IndicatorSystem, name: str) -> Dimension:
    require(actor, Cap.NETWORK_MANAGE, system.region_id)
    _editable(system)
    position = (system.dimensions.aggregate(n=Max("position"))["n"] or 0) + 1
    dimension = Dimension(system=system, position=position, name=(name or "").strip())
    return save_valid(dimension)


@transaction.atomic
def indicator_add(*, actor, dimension: Dimension, name: str, points: Decimal, notes: str = "") -> Indicator:
    require(actor, Cap.NETWORK_MANAGE, dimension.system.region_id)
    _editable(dimension.system)
    if points is None or points <= 0:
        raise ValidationError({"points": _("Points must be positive.")})
    position = (dimension.indicators.aggregate(n=Max("position"))["n"] or 0) + 1
    indicator = Indicator(
        dimension=dimension, position=position, name=(name or "").strip(), points=points, notes=notes.strip()
    )
    return save_valid(indicator)


def full_points(system: IndicatorSystem) -> Decimal:
    return Indicator.objects.filter(dimension__system=system).aggregate(n=Sum("points"))["n"] or Decimal(0)


# --- Evaluations ---------------------------------------------------------------------------------


def _create(actor, system: IndicatorSystem, *, facility=None, project=None, round=None) -> Evaluation:
    indicators = list(Indicator.objects.filter(dimension__system=system))
    if not indicators:
        raise ValidationError(_("This indicator system has no indicators yet."))
    region_id = facility.region_id if facility is not None else project.region_id
    evaluation = Evaluation(
        system=system,
        round=round,
        facility=facility,
        project=project,
        region_id=region_id,
        full_points=sum((i.points for i in indicators), Decimal(0)),
        started_by=actor,
    )
    save_valid(evaluation)
    Score.objects.bulk_create([Score(evaluation=evaluation, indicator=i) for i in indicators])
    return evaluation


@transaction.atomic
def evaluation_start(*, actor, system: IndicatorSystem, facility=None, project=None) -> Evaluation:
    """Start the evaluation of one station or one project; the subject's people then assess themselves."""
    subject = facility if facility is not None else project
    if subject is None:
        raise ValidationError(_("Choose the station or project to evaluate."))
    require(actor, Cap.NETWORK_MANAGE, subject.region_id)
    expected = Subject.STATION if facility is not None else Subject.PROJECT
    if system.subject != expected:
        raise ValidationError({"system": _("This indicator system evaluates something else.")})
    return _create(actor, system, facility=facility, project=project)


def _decimal(value, points: Decimal, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({field: _("“%(value)s” is not a number.") % {"value": value}}) from exc
    if number < 0 or number > points:
        raise ValidationError({field: _("A score lies between 0 and %(points)s.") % {"points": points}})
    return number.quantize(Decimal("0.1"))


@transaction.atomic
def scores_set(*, actor, evaluation: Evaluation, scores: dict[int, dict]) -> Evaluation:
    """Write scores: {indicator id: {"self_score", "score", "evidence"}}. Self-assessment and evidence are the
    subject's (data.edit); the evaluator's score is an administrator's (network.manage), and moves the evaluation
    to "being evaluated"."""
    require(actor, Cap.DATA_EDIT, evaluation.region_id)
    if evaluation.status == EvaluationStatus.FINAL:
        raise ValidationError(_("This evaluation is finalised; its scores are fixed."))
    rows = {s.indicator_id: s for s in evaluation.scores.select_related("indicator")}
    evaluator = actor.can(Cap.NETWORK_MANAGE)
    touched_evaluator = False
    for indicator_id, values in scores.items():
        row = rows.get(int(indicator_id))
        if row is None:
            raise ValidationError(_("An indicator of another system was given."))
        if "self_score" in values:
            row.self_score = _decimal(values["self_score"], row.indicator.points, "self_score")
        if "evidence" in values:
            row.evidence = (values["evidence"] or "").strip()
        if "score" in values and values["score"] not in (None, ""):
            if not evaluator:
                raise ValidationError(_("Only an evaluator (an administrator) gives the evaluator's score."))
            row.score = _decimal(values["score"], row.indicator.points, "score")
            touched_evaluator = True
        row.save()
    if touched_evaluator and evaluation.status == EvaluationStatus.SELF:
        EVALUATION_WORKFLOW.move(
            evaluation, EvaluationStatus.EVALUATING, actor=actor, changes={"evaluator": actor}
        )
    return evaluation


@transaction.atomic
def evaluation_finalise(*, actor, evaluation: Evaluation, findings: str, shortcomings: str) -> Evaluation:
    """Total the evaluator's scores, grade them in stars, and fix the evaluation."""
    require(actor, Cap.NETWORK_MANAGE, evaluation.region_id)
    if evaluation.status == EvaluationStatus.FINAL:
        raise ValidationError(_("This evaluation is already finalised."))
    EVALUATION_WORKFLOW.check(evaluation, EvaluationStatus.FINAL, actor=actor)
    if not (findings or "").strip():
        raise ValidationError({"findings": _("Write the findings.")})
    total = evaluation.scores.aggregate(n=Sum("score"))["n"] or Decimal(0)
    graded = {
        "total": total,
        "grade": grade_for(total, evaluation.full_points),
        "findings": findings.strip(),
        "shortcomings": (shortcomings or "").strip(),
        "evaluator": evaluation.evaluator or actor,
        "finalised_on": timezone.localdate(),
    }
    EVALUATION_WORKFLOW.move(evaluation, EvaluationStatus.FINAL, actor=actor, changes=graded, clean=True)
    return evaluation


@transaction.atomic
def rectification_add(*, actor, evaluation: Evaluation, text: str, due_on: dt.date) -> Rectification:
    require(actor, Cap.NETWORK_MANAGE, evaluation.region_id)
    item = Rectification(evaluation=evaluation, text=(text or "").strip(), due_on=due_on)
    return save_valid(item)


@transaction.atomic
def rectification_close(
    *, actor, item: Rectification, note: str, closed_on: dt.date | None = None
) -> Rectification:
    """Close an item with how it was rectified; the station may report it (data.edit)."""
    require(actor, Cap.DATA_EDIT, item.evaluation.region_id)
    if item.status == RectificationStatus.CLOSED:
        raise ValidationError(_("This item is already closed."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Say how it was rectified.")})
    closing = {"closed_on": closed_on or timezone.localdate(), "closing_note": note.strip()[:300]}
    RECTIFICATION_WORKFLOW.move(item, RectificationStatus.CLOSED, actor=actor, changes=closing, clean=True)
    return item


# --- Rounds --------------------------------------------------------------------------------------


@transaction.atomic
def round_launch(*, actor, system: IndicatorSystem, region, name: str, due_on: dt.date) -> Round:
    """Launch one evaluation for every built township station of a county (or any region) at once."""

    require(actor, Cap.NETWORK_MANAGE)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    if system.subject != Subject.STATION:
        raise ValidationError({"system": _("A round evaluates stations; choose a station indicator system.")})
    stations = list(
        Facility.objects.filter(
            code_prefix_q("region_id", region.code), kind__in=TOWNSHIP_KINDS, status__in=BUILT_STATUSES
        )
    )
    if not stations:
        raise ValidationError({"region": _("There is no built station in this division.")})
    round_ = Round(name=(name or "").strip(), system=system, region=region, due_on=due_on, launched_by=actor)
    save_valid(round_)
    for station in stations:
        _create(actor, system, facility=station, round=round_)
    return round_
