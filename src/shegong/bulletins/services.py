"""Issuing a bulletin: gather the figures, compare them with last month (环比) and the same month a year before
(同比), list the stations whose records are missing, render the four faces (page, Excel, PDF, Word) and store them
as one new, never-changing row.

A month is issued once it has begun. Until it has ended the bulletin covers the 1st to today and says 截至 that day;
its 环比 and 同比 then compare the same days of the earlier months (1-6 December against 1-6 November), never a few
days against a whole month. A finished month is compared with the earlier month's latest issued edition when that
covered the whole month, else with a recount of it.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.bulletins import figures as bulletin_figures_module
from shegong.bulletins.completeness import completeness
from shegong.bulletins.models import Bulletin
from shegong.bulletins.pdf import render_pdf
from shegong.bulletins.render import render_html, render_xlsx
from shegong.bulletins.word import render_docx
from shegong.lib.guard import require, require_choice
from shegong.lib.rows import save_valid


def check_issue(*, actor, region, month: dt.date) -> None:
    require(actor, Cap.NETWORK_MANAGE)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    if month.replace(day=1) > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("This month has not begun yet.")})


def _issuing_unit(actor) -> str:
    """The bureau of the issuer's jurisdiction: 兴义市民政局, 贵州省民政厅; 民政部 for the whole country."""
    region = getattr(actor, "jurisdiction", None)
    if region is None:
        return "民政部"
    if region.level == 1:
        return f"{region.name}民政厅"
    if region.level >= 4:
        return f"{region.name}人民政府"
    return f"{region.name}民政局"


def _shift_month(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _basis_figures(*, actor, region, month: dt.date, days: int | None) -> tuple[dict, str]:
    """The figures of an earlier ``month`` to compare with: its first ``days`` days recounted when the bulletin
    covers part of a month; else the latest issued edition covering the whole month, else a recount of it."""
    first, last = bulletin_figures_module.month_bounds(month)
    if days is None:
        issued = (
            Bulletin.objects.filter(region=region, month=first)
            .exclude(covers_until__lt=last)
            .order_by("-edition")
            .values_list("figures", flat=True)
            .first()
        )
        if issued is not None:
            return issued, "issued"
        until = last
    else:
        until = min(first + dt.timedelta(days=days - 1), last)
    figures = bulletin_figures_module.bulletin_figures(user=actor, region=region, month=first, today=until)
    return figures, "recount"


def next_issue_number(*, region, month: dt.date) -> int:
    same_month = (
        Bulletin.objects.filter(region=region, month=month).values_list("issue_number", flat=True).first()
    )
    if same_month:
        return same_month
    top = Bulletin.objects.filter(region=region, month__year=month.year).aggregate(n=Max("issue_number"))["n"]
    return (top or 0) + 1


@transaction.atomic
def bulletin_issue(*, actor, region, month: dt.date, progress=None, today: dt.date | None = None) -> Bulletin:
    require(actor, Cap.NETWORK_MANAGE)
    check_issue(actor=actor, region=region, month=month)
    today = today or timezone.localdate()
    month = month.replace(day=1)
    step = progress or (lambda done, total: None)
    step(0, 5)
    figures = bulletin_figures_module.bulletin_figures(user=actor, region=region, month=month, today=today)
    _first, last = bulletin_figures_module.month_bounds(month)
    until = dt.date.fromisoformat(figures["until"])
    partial = until < last
    days = (until - month).days + 1 if partial else None
    previous, previous_source = _basis_figures(
        actor=actor, region=region, month=_shift_month(month, -1), days=days
    )
    year_before, year_source = _basis_figures(
        actor=actor, region=region, month=_shift_month(month, -12), days=days
    )
    step(1, 5)
    figures["comparison"] = bulletin_figures_module.compare(figures, previous, year_before)
    figures["basis"] = {
        "previous": previous_source,
        "previous_until": previous["until"],
        "year_before": year_source,
        "year_before_until": year_before["until"],
    }
    figures["partial"] = partial
    # Whether last month's bulletin was issued (its figures are the basis of 环比 when both months are whole).
    figures["has_previous"] = Bulletin.objects.filter(region=region, month=_shift_month(month, -1)).exists()
    figures["completeness"] = completeness(user=actor, region_code=region.code, since=month, until=until)
    edition = (Bulletin.objects.filter(region=region, month=month).aggregate(n=Max("edition"))["n"] or 0) + 1
    issue_number = next_issue_number(region=region, month=month)
    figures["document"] = {
        "issuer": _issuing_unit(actor),
        "issue_number": issue_number,
        "year": month.year,
        "edition": edition,
        "issued_on": today.isoformat(),
    }
    step(2, 5)
    html = render_html(figures)
    xlsx = render_xlsx(figures)
    step(3, 5)
    pdf = render_pdf(figures)
    step(4, 5)
    docx = render_docx(figures)
    bulletin = Bulletin(
        region=region,
        month=month,
        edition=edition,
        issue_number=issue_number,
        issuer_name=figures["document"]["issuer"],
        covers_until=until,
        figures=figures,
        html=html,
        xlsx=xlsx,
        pdf=pdf,
        docx=docx,
        issued_by=actor,
    )
    save_valid(bulletin, exclude=["xlsx", "pdf", "docx"])
    step(5, 5)
    return bulletin
