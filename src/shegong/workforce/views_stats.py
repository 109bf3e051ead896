"""Pages of station staffing, staffing rules, talent statistics and targets."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.lib import asof
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME, Column, build_workbook
from shegong.lib.forms import post_action
from shegong.lib.views import POST, own_region, record_view
from shegong.regions.selectors import region_breadcrumb
from shegong.workforce import selectors, services
from shegong.workforce.figures import target_progress, workforce_figures
from shegong.workforce.forms import StaffingRuleForm, TargetForm
from shegong.workforce.models import CertLevel
from shegong.workforce.views_agencies import region_named


@capability_required(Cap.DATA_VIEW)
def station_list(request):
    region = request.GET.get("region", "").strip()
    region = region if region.isascii() and region.isdigit() else ""
    under_only = request.GET.get("under") == "1"
    rows = selectors.station_staffing(user=request.user, region=region, under_only=under_only)
    return render(
        request,
        "workforce/station_list.html",
        {
            "rows": rows,
            "region": region,
            "under_only": under_only,
            "under_count": sum(1 for r in rows if r["under"]),
            "rules": selectors.staffing_rule_list(user=request.user),
            "rule_form": StaffingRuleForm() if request.user.can(Cap.DATA_EDIT) else None,
        },
    )


@capability_required(Cap.DATA_VIEW)
def station_detail(request, pk: int):
    facility = selectors.facility_get(user=request.user, pk=pk)
    rows = [
        r
        for r in selectors.station_staffing(user=request.user, region=facility.region_id)
        if r["facility"].pk == pk
    ]
    return render(
        request,
        "workforce/station_detail.html",
        {
            "facility": facility,
            "staffing": rows[0] if rows else None,
            "current": selectors.facility_workers(user=request.user, facility=facility),
            "history": selectors.facility_workers(
                user=request.user, facility=facility, current=False
            ).exclude(end_date__isnull=True),
            "can_edit": request.user.can(Cap.DATA_EDIT),
        },
    )


@capability_required(Cap.DATA_EDIT)
@require_POST
def staffing_rule_set(request):
    return post_action(
        request,
        StaffingRuleForm(request.POST),
        lambda data: services.staffing_rule_set(
            actor=request.user, region=region_named(request, data), minimum=data["minimum"], note=data["note"]
        ),
        success=_("Staffing rule saved."),
        then="workforce:station_list",
        invalid=_("Give a division code and a minimum between 0 and 50."),
    )


stats_index = own_region(Cap.DATA_VIEW, "workforce:stats")


@capability_required(Cap.DATA_VIEW)
def stats(request, code: str):
    region = selectors.workforce_region_get(user=request.user, code=code)
    when, as_of_errors = asof.for_page(request)
    figures = workforce_figures(user=request.user, region=region, as_of=when.as_of)
    base = None
    if when.base_year:
        then = workforce_figures(user=request.user, region=region, as_of=when.base_date).total
        base = {
            "talents": then.talents,
            "certified": then.certified,
            "talent_growth": asof.growth(figures.total.talents, then.talents),
            "certified_growth": asof.growth(figures.total.certified, then.certified),
        }
    targets = [
        target_progress(t, figures.total, today=when.as_of)
        for t in selectors.talent_target_list(user=request.user, region=region.code)
    ]
    return render(
        request,
        "workforce/stats.html",
        {
            "region": region,
            "breadcrumb": region_breadcrumb(user=request.user, region=region),
            "figures": figures,
            "total": figures.total,
            "targets": targets,
            "target_form": TargetForm() if request.user.can(Cap.DATA_EDIT) else None,
            "when": when,
            "as_of_errors": as_of_errors,
            "with_base_year": True,
            "keep": [],
            "base": base,
        },
    )


def _stats_row(f) -> list:
    return [
        f.code,
        f.name,
        f.population,
        f.talents,
        f.per_10k,
        f.talent_growth,
        f.full_time,
        f.certified,
        *[n for _level, _label, n in f.levels],
        f.certified_growth,
        f.agencies,
        f.stations,
        f.under_staffed,
        f.sessions,
        f.person_times,
    ]


@capability_required(Cap.DATA_VIEW)
def stats_export(request, code: str):
    region = selectors.workforce_region_get(user=request.user, code=code)
    when, _errors = asof.for_page(request)
    figures = workforce_figures(user=request.user, region=region, as_of=when.as_of)

    columns = [
        Column("code", _("Division code"), kind="code", width=14),
        Column("name", _("Name"), width=20),
        Column("population", _("Resident population"), kind="int"),
        Column("talents", _("Social work talents"), kind="int"),
        Column("per_10k", _("Talents per 10,000 residents")),
        Column("growth", _("Growth on a year ago (%)")),
        Column("full_time", _("Full-time station workers"), kind="int"),
        Column("certified", _("Certified workers"), kind="int"),
        *[Column(f"level{value}", str(label), kind="int") for value, label in CertLevel.choices],
        Column("certified_growth", _("Certified growth on a year ago (%)")),
        Column("agencies", _("Social work agencies"), kind="int"),
        Column("stations", _("Stations"), kind="int"),
        Column("under", _("Under-staffed stations"), kind="int"),
        Column("sessions", _("Training sessions this year"), kind="int"),
        Column("person_times", _("Training person-times this year"), kind="int"),
    ]
    rows = [_stats_row(child) for child in figures.children]
    total = _stats_row(figures.total)
    total[1] = _("Total: %(name)s") % {"name": region.name}
    rows.append(total)
    note = _("Workforce figures counted from the registry as of %(day)s.") % {"day": when.as_of.isoformat()}
    response = HttpResponse(build_workbook(_("Workforce"), columns, rows, note), content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename=workforce-{region.code}.xlsx"
    return response


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["POST"])
def target_create(request, code: str):
    region = selectors.workforce_region_get(user=request.user, code=code, capability=Cap.DATA_EDIT)
    return post_action(
        request,
        TargetForm(request.POST),
        lambda data: services.talent_target_create(actor=request.user, region=region, **data),
        success=_("Target saved."),
        then=("workforce:stats", region.code),
        invalid=_("Give an indicator, a value and a deadline."),
    )


@record_view(Cap.DATA_EDIT, selectors.talent_target_get, POST)
def target_delete(request, target):
    services.talent_target_delete(actor=request.user, target=target)
    messages.success(request, _("Target deleted."))
    return redirect("workforce:stats", code=target.region_id)
