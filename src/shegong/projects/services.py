"""Writes of service projects. The pages and the API call these functions; the status moves read workflow.py."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.lib.guard import require, require_choice
from shegong.lib.rows import save_valid
from shegong.lib.uploads import DOCUMENT, check_upload
from shegong.projects import workflow
from shegong.projects.models import (
    Indicator,
    Milestone,
    Payment,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectTarget,
)
from shegong.projects.workflow import PURCHASE_WORKFLOW, PurchaseStatus


def _check_stations(region, stations) -> None:
    # The purchaser's division is inside the actor's jurisdiction (checked first), so its stations are too.
    for station in stations:
        if not station.region_id.startswith(region.code):
            raise ValidationError(
                {
                    "stations": _("%(station)s is outside the purchaser's division.")
                    % {"station": station.name}
                }
            )


def _set_targets(project: Project, targets: dict[str, int]) -> None:
    for indicator, value in targets.items():
        if indicator not in Indicator.values:
            raise ValidationError({"targets": _("Unknown indicator “%(value)s”.") % {"value": indicator}})
        if value is None or value == "":
            ProjectTarget.objects.filter(project=project, indicator=indicator).delete()
            continue
        if int(value) < 0:
            raise ValidationError({"targets": _("A target cannot be negative.")})
        ProjectTarget.objects.update_or_create(
            project=project, indicator=indicator, defaults={"value": int(value)}
        )


@transaction.atomic
def project_create(
    *,
    actor,
    name: str,
    region,
    purchaser: str,
    funding_source: str,
    amount: Decimal,
    start_on: dt.date,
    end_on: dt.date,
    agency=None,
    stations=(),
    targets: dict[str, int] | None = None,
    description: str = "",
) -> Project:
    """申报: a project is recorded at the application stage."""
    require(actor, Cap.NETWORK_MANAGE)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    _check_stations(region, stations)
    project = Project(
        name=(name or "").strip(),
        region=region,
        purchaser=(purchaser or "").strip(),
        funding_source=funding_source,
        amount=amount,
        agency=agency,
        start_on=start_on,
        end_on=end_on,
        description=description.strip(),
        status=PurchaseStatus.APPLIED,
        status_since=timezone.localdate(),
        created_by=actor,
    )
    save_valid(project)
    project.stations.set(stations)
    _set_targets(project, targets or {})
    ProjectEvent.objects.create(
        project=project, to_status=PurchaseStatus.APPLIED, on=project.status_since, actor=actor
    )
    return project


@transaction.atomic
def project_update(
    *, actor, project: Project, stations=None, targets: dict | None = None, **fields
) -> Project:
    """Change the details, the stations or the targets. The amount cannot fall below what has been paid."""
    require(actor, Cap.NETWORK_MANAGE, project.region_id)
    allowed = {"name", "purchaser", "funding_source", "amount", "agency", "start_on", "end_on", "description"}
    for key, value in fields.items():
        if key not in allowed:
            raise ValidationError(_("“%(field)s” cannot be changed here.") % {"field": key})
        setattr(project, key, value.strip() if isinstance(value, str) else value)
    paid = project.payments.aggregate(n=Sum("amount"))["n"] or Decimal(0)
    if project.amount < paid:
        raise ValidationError({"amount": _("%(paid)s yuan has already been paid.") % {"paid": paid}})
    save_valid(project)
    if stations is not None:
        _check_stations(project.region, stations)
        project.stations.set(stations)
    if targets is not None:
        _set_targets(project, targets)
    return project


@transaction.atomic
def project_transition(
    *, actor, project: Project, to_status: str, note: str = "", on: dt.date | None = None
) -> Project:
    """Move the project to the next status, as its workflow (projects/workflow.py) allows."""
    require(actor, Cap.NETWORK_MANAGE, project.region_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    PURCHASE_WORKFLOW.check(project, to_status, actor=actor)
    note = (note or "").strip()
    if to_status in workflow.NEEDS_NOTE and not note:
        raise ValidationError({"note": _("Give the reason.")})
    on = on or timezone.localdate()
    PURCHASE_WORKFLOW.move(project, to_status, actor=actor, changes={"status_since": on}, on=on, note=note)
    return project


@transaction.atomic
def milestone_add(
    *, actor, project: Project, name: str, due_on: dt.date, amount: Decimal | None = None, note: str = ""
) -> Milestone:
    require(actor, Cap.NETWORK_MANAGE, project.region_id)
    if amount is not None and amount > project.amount:
        raise ValidationError({"amount": _("More than the contract amount.")})
    milestone = Milestone(
        project=project, name=(name or "").strip(), due_on=due_on, amount=amount, note=note.strip()
    )
    return save_valid(milestone)


@transaction.atomic
def milestone_meet(*, actor, milestone: Milestone, met_on: dt.date, note: str = "") -> Milestone:
    require(actor, Cap.NETWORK_MANAGE, milestone.project.region_id)
    if milestone.project.status not in workflow.CONTRACTED:
        raise ValidationError(_("Milestones are met once the project is approved."))
    if milestone.met_on:
        raise ValidationError(_("This milestone is already met."))
    if met_on > timezone.localdate():
        raise ValidationError({"met_on": _("The date is in the future.")})
    milestone.met_on = met_on
    if note:
        milestone.note = note.strip()[:300]
    return save_valid(milestone)


@transaction.atomic
def payment_record(
    *,
    actor,
    project: Project,
    amount: Decimal,
    paid_on: dt.date,
    milestone: Milestone | None = None,
    note: str = "",
) -> Payment:
    """Record a payment. Refused: before 立项, beyond the contract amount, for a milestone not met, twice for one
    milestone."""
    require(actor, Cap.NETWORK_MANAGE, project.region_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in workflow.CONTRACTED:
        raise ValidationError(_("Payments are recorded once the project is approved."))
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("A payment must be positive.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The date is in the future.")})
    paid = project.payments.aggregate(n=Sum("amount"))["n"] or Decimal(0)
    if paid + amount > project.amount:
        raise ValidationError(
            {
                "amount": _(
                    "This would pay %(total)s yuan, more than the contract amount of %(amount)s yuan."
                )
                % {"total": paid + amount, "amount": project.amount}
            }
        )
    if milestone is not None:
        if milestone.project_id != project.pk:
            raise ValidationError({"milestone": _("The milestone belongs to another project.")})
        if milestone.met_on is None:
            raise ValidationError({"milestone": _("This milestone has not been met yet.")})
        if milestone.payments.exists():
            raise ValidationError({"milestone": _("This milestone has already been paid.")})
    payment = Payment(
        project=project,
        milestone=milestone,
        amount=amount,
        paid_on=paid_on,
        note=note.strip(),
        recorded_by=actor,
    )
    return save_valid(payment)


@transaction.atomic
def document_add(*, actor, project: Project, title: str, file) -> ProjectDocument:
    require(actor, Cap.NETWORK_MANAGE, project.region_id)
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    check_upload(file, accept=DOCUMENT, field=_("File"), key="file")
    document = ProjectDocument(
        project=project, title=(title or file.name).strip()[:150], file=file, uploaded_by=actor
    )
    return save_valid(document)
