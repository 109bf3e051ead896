"""Government-purchased social work service projects (政府购买社会工作服务项目): who buys, with what money, from which
agency, for which stations and period; output targets, milestones, payments, status and documents.

A project belongs to the purchasing bureau's division (its SCOPE_FIELD), and the stations it covers lie inside
that division. Its actuals (cases, groups, activities, person-times, people covered) are never stored: they are
counted from the records of the covered stations in the project's period (projects/actuals.py).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.lib.bases import Authored, InRegion, LogEntry, Named
from shegong.lib.fields import note_field, optional_fk, parent_fk, required_fk, status_field, user_field
from shegong.projects.workflow import PurchaseStatus


class FundingSource(models.TextChoices):
    BUDGET = "budget", _("Fiscal budget")
    LOTTERY = "lottery", _("Welfare lottery public-welfare fund")
    DEPARTMENTS = "departments", _("Other departments' funds")
    SOCIAL = "social", _("Social funds")


class Indicator(models.TextChoices):
    CASES = "cases", _("Cases opened")
    GROUPS = "groups", _("Groups run")
    ACTIVITIES = "activities", _("Community activities")
    PERSON_TIMES = "person_times", _("Service person-times")
    PEOPLE = "people", _("People covered")


class Project(InRegion, Named, Authored):
    name = models.CharField(_("project name"), max_length=150)
    region = required_fk("regions.Region", _("purchaser's division"))
    purchaser = models.CharField(_("purchaser"), max_length=100, help_text=_("e.g. 兴义市民政局"))
    funding_source = models.CharField(_("funding source"), max_length=12, choices=FundingSource.choices)
    amount = models.DecimalField(_("contract amount (yuan)"), max_digits=12, decimal_places=2)
    agency = optional_fk("workforce.Agency", _("undertaking agency"))
    stations = models.ManyToManyField(
        "network.Facility", verbose_name=_("stations covered"), blank=True, related_name="+"
    )
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"))
    description = models.TextField(_("description"), blank=True)
    status = status_field(PurchaseStatus, 20)
    status_since = models.DateField(_("status since"))

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")),
                name="projects_end_after_start",
                violation_error_message=_("The project ends before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="projects_positive_amount",
                violation_error_message=_("The contract amount must be positive."),
            ),
        ]


class ProjectTarget(models.Model):
    """An output target of the contract: e.g. 3,000 service person-times."""

    SCOPE_FIELD = "project__region_id"

    project = parent_fk(Project, _("project"), "targets")
    indicator = models.CharField(_("indicator"), max_length=16, choices=Indicator.choices)
    value = models.PositiveIntegerField(_("target"))

    class Meta:
        verbose_name = _("project target")
        ordering = ["project", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "indicator"],
                name="projects_one_target_per_indicator",
                violation_error_message=_("This project already has a target for this indicator."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.value}"


class Milestone(Named):
    SCOPE_FIELD = "project__region_id"

    project = parent_fk(Project, _("project"), "milestones")
    name = models.CharField(_("milestone"), max_length=100)
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(
        _("payment due on meeting it (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    note = note_field(300)

    class Meta:
        verbose_name = _("milestone")
        ordering = ["due_on", "id"]

    @property
    def met(self) -> bool:
        return self.met_on is not None


class Payment(models.Model):
    SCOPE_FIELD = "project__region_id"

    project = required_fk(Project, _("project"), related_name="payments")
    milestone = optional_fk(Milestone, _("milestone"), related_name="payments")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    note = note_field(300)
    recorded_by = user_field(_("recorded by"), optional=False)
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("payment")
        ordering = ["paid_on", "id"]
        constraints = [
            # A milestone is paid once.
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(milestone__isnull=False),
                name="projects_one_payment_per_milestone",
                violation_error_message=_("This milestone has already been paid."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="projects_positive_payment",
                violation_error_message=_("A payment must be positive."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.paid_on}"


def _document_path(instance, filename: str) -> str:
    return f"projects/{instance.project_id}/{filename}"


class ProjectDocument(models.Model):
    """An application, review opinion, contract, report …"""

    SCOPE_FIELD = "project__region_id"

    project = parent_fk(Project, _("project"), "documents")
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("file"), upload_to=_document_path)
    uploaded_by = user_field(_("uploaded by"), optional=False)
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("project document")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProjectEvent(LogEntry):
    """One status move, in order."""

    SCOPE_FIELD = "project__region_id"

    project = parent_fk(Project, _("project"), "events")
    from_status = models.CharField(_("from"), max_length=20, choices=PurchaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=PurchaseStatus.choices)
    on = models.DateField(_("date"))
    note = note_field(300)

    class Meta(LogEntry.Meta):
        verbose_name = _("project status change")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
