"""Issuing a bulletin: gather the figures, compare with the previous month's snapshot, render the three faces and
store them as one new, never-changing row."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.bulletins import figures as bulletin_figures_module
from shegong.bulletins.models import Bulletin
from shegong.bulletins.render import render_html, render_pdf, render_xlsx
from shegong.lib.guard import require, require_choice


def check_issue(*, actor, region, month: dt.date) -> None:
    require(actor, Cap.NETWORK_MANAGE)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    if month.replace(day=1) > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("This month has not begun yet.")})


def previous_snapshot(*, region, month: dt.date) -> dict | None:
    """The figures of the latest edition of the previous month's bulletin of the same region."""
    before = bulletin_figures_module.previous_month(month)
    row = (
        Bulletin.objects.filter(region=region, month=before)
        .order_by("-edition")
        .values_list("figures", flat=True)
        .first()
    )
    return row


@transaction.atomic
def bulletin_issue(*, actor, region, month: dt.date, progress=None) -> Bulletin:
    require(actor, Cap.NETWORK_MANAGE)
    check_issue(actor=actor, region=region, month=month)
    month = month.replace(day=1)
    step = progress or (lambda done, total: None)
    step(0, 4)
    figures = bulletin_figures_module.bulletin_figures(user=actor, region=region, month=month)
    previous = previous_snapshot(region=region, month=month)
    comparison = bulletin_figures_module.compare(figures, previous)
    figures["comparison"] = comparison
    figures["has_previous"] = previous is not None
    step(1, 4)
    edition = (Bulletin.objects.filter(region=region, month=month).aggregate(n=Max("edition"))["n"] or 0) + 1
    html = render_html(figures, comparison, edition)
    step(2, 4)
    xlsx = render_xlsx(figures, comparison)
    step(3, 4)
    pdf = render_pdf(figures, comparison, edition)
    bulletin = Bulletin(
        region=region,
        month=month,
        edition=edition,
        figures=figures,
        html=html,
        xlsx=xlsx,
        pdf=pdf,
        issued_by=actor,
    )
    bulletin.full_clean(exclude=["xlsx", "pdf"])
    bulletin.save()
    step(4, 4)
    return bulletin
