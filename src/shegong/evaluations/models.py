"""Evaluations (评估): indicator systems an administrator builds, evaluations of a station or a project against them
(self-assessment and evaluator scores per indicator, with evidence), a total and a star grade, findings, shortcomings
(短板弱项) and rectification items tracked to closure; and rounds that evaluate every station of a county at once.

Two starting templates ship with the app (migration 0002): a station operation evaluation in six dimensions over
1,000 points (after Fujian 2022) and a project performance evaluation (决策、过程、产出、效益) over 100 points. A
template has no region: everybody may use it, nobody edits it; an administrator copies it into their region.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.lib.bases import Created, InRegion, Named, Positioned, RegionTemplate
from shegong.lib.fields import optional_fk, parent_fk, required_fk, status_field, user_field


class Subject(models.TextChoices):
    STATION = "station", _("Station operation")
    PROJECT = "project", _("Project performance")


class IndicatorSystem(RegionTemplate):
    subject = models.CharField(_("what it evaluates"), max_length=10, choices=Subject.choices)

    class Meta(RegionTemplate.Meta):
        verbose_name = _("indicator system")


class Dimension(Named, Positioned):
    system = parent_fk(IndicatorSystem, _("system"), "dimensions")
    name = models.CharField(_("dimension"), max_length=50)

    class Meta(Positioned.Meta):
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")


class Indicator(Named, Positioned):
    dimension = parent_fk(Dimension, _("dimension"), "indicators")
    name = models.CharField(_("indicator"), max_length=100)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    notes = models.TextField(_("scoring notes"), blank=True)

    class Meta(Positioned.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")


class Round(InRegion, Named):
    """One round of evaluations launched at once, e.g. the mid-term evaluation of all stations of a county."""

    name = models.CharField(_("round"), max_length=100)
    system = required_fk(IndicatorSystem, _("indicator system"))
    due_on = models.DateField(_("due"))
    launched_by = user_field(_("launched by"), optional=False)
    launched_at = models.DateTimeField(auto_now_add=True, verbose_name=_("launched at"))

    class Meta:
        verbose_name = _("evaluation round")
        ordering = ["-launched_at", "-id"]


class EvaluationStatus(models.TextChoices):
    SELF = "self", _("Self-assessment")
    EVALUATING = "evaluating", _("Being evaluated")
    FINAL = "final", _("Finalised")


# Star grades by share of the full points (Fujian's star rating): the first band reached wins.
GRADES = [
    (Decimal("0.9"), 5),
    (Decimal("0.8"), 4),
    (Decimal("0.7"), 3),
    (Decimal("0.6"), 2),
    (Decimal("0"), 1),
]


def grade_for(total: Decimal, full: Decimal) -> int:
    share = total / full if full else Decimal(0)
    return next(stars for floor, stars in GRADES if share >= floor)


class Evaluation(InRegion):
    """One evaluation of a station or a project. ``region`` is the subject's division (the station's, or the
    purchaser's), so the subject's jurisdiction sees it."""

    system = required_fk(IndicatorSystem, _("indicator system"), related_name="evaluations")
    round = optional_fk(Round, _("round"), related_name="evaluations")
    facility = optional_fk("network.Facility", _("station"))
    project = optional_fk("projects.Project", _("project"))
    status = status_field(EvaluationStatus, 12)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=1, null=True, blank=True)
    full_points = models.DecimalField(_("full points"), max_digits=7, decimal_places=1)
    grade = models.PositiveSmallIntegerField(_("grade (stars)"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    evaluator = user_field(_("evaluator"))
    started_by = user_field(_("started by"), optional=False)
    started_at = models.DateTimeField(auto_now_add=True, verbose_name=_("started at"))
    finalised_on = models.DateField(_("finalised on"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(facility__isnull=False) & Q(project__isnull=True))
                | (Q(facility__isnull=True) & Q(project__isnull=False)),
                name="evaluations_one_subject",
                violation_error_message=_("An evaluation is of a station or of a project."),
            ),
            models.UniqueConstraint(
                fields=["round", "facility"],
                condition=Q(round__isnull=False),
                name="evaluations_once_per_round",
                violation_error_message=_("This station is already in the round."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} · {self.system}"

    @property
    def subject_name(self) -> str:
        return str(self.facility or self.project)

    @property
    def stars(self) -> str:
        return "★" * (self.grade or 0)


class Score(models.Model):
    SCOPE_FIELD = "evaluation__region_id"

    evaluation = parent_fk(Evaluation, _("evaluation"), "scores")
    indicator = required_fk(Indicator, _("indicator"))
    self_score = models.DecimalField(
        _("self-assessment"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    score = models.DecimalField(_("evaluator's score"), max_digits=6, decimal_places=1, null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["indicator__dimension__position", "indicator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "indicator"], name="evaluations_one_score_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.score}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Rectification(Created):
    """A rectification item (整改事项) from an evaluation, tracked to closure."""

    SCOPE_FIELD = "evaluation__region_id"

    evaluation = parent_fk(Evaluation, _("evaluation"), "rectifications")
    text = models.CharField(_("what must be rectified"), max_length=300)
    due_on = models.DateField(_("due"))
    status = status_field(RectificationStatus, 8)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.CharField(_("how it was rectified"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rectification item")
        ordering = ["status", "due_on", "id"]

    def __str__(self) -> str:
        return self.text
