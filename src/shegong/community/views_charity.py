"""Pages of charitable resources: donations, community charity funds, mutual-aid projects and matching rules."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.community import charity, selectors
from shegong.community.forms import (
    DonationEntryForm,
    FundEntryForm,
    FundForm,
    MatchingPaymentForm,
    MatchingRuleForm,
    ProjectForm,
)
from shegong.community.lists import DONATIONS
from shegong.community.models import MatchingRule, MutualAidStatus
from shegong.community.views_volunteers import _resolve_region
from shegong.lib.decorators import capability_required
from shegong.lib.forms import add_service_errors
from shegong.network.selectors import station_choices


@capability_required(Cap.DATA_VIEW)
def donation_list(request):
    def totals(rows):
        return {"totals": rows.order_by().aggregate(n=Count("id"), value=Sum("value"))}

    return DONATIONS.page(
        request, "community/donation_list.html", summary=totals, can_edit=request.user.can(Cap.DATA_EDIT)
    )


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def donation_create(request):
    form = DonationEntryForm(
        request.POST or None,
        stations=station_choices(user=request.user),
        funds=selectors.fund_list(user=request.user, capability=Cap.DATA_EDIT),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            charity.donation_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Donation recorded."))
            return redirect("community:donation_list")
    return render(request, "community/simple_form.html", {"form": form, "title": _("Record a donation")})


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def fund_list(request):
    can_edit = request.user.can(Cap.DATA_EDIT)
    form = FundForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            region = _resolve_region(request, form)
            if region is not None:
                data = dict(form.cleaned_data)
                data.pop("region")
                try:
                    fund = charity.fund_create(actor=request.user, region=region, **data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Fund set up."))
                    return redirect("community:fund_detail", pk=fund.pk)
    funds = selectors.fund_list(user=request.user)
    return render(
        request,
        "community/fund_list.html",
        {"funds": funds, "total": funds.order_by().aggregate(s=Sum("balance"))["s"], "form": form},
    )


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def fund_detail(request, pk: int):
    fund = selectors.fund_get(user=request.user, pk=pk)
    can_edit = request.user.can(Cap.DATA_EDIT)
    form = FundEntryForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        fund = selectors.fund_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
        if form.is_valid():
            try:
                charity.fund_entry_add(actor=request.user, fund=fund, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Entry recorded."))
                return redirect("community:fund_detail", pk=fund.pk)
    return render(
        request,
        "community/fund_detail.html",
        {"fund": fund, "entries": selectors.fund_entries(user=request.user, fund=fund)[:500], "form": form},
    )


@capability_required(Cap.DATA_VIEW)
def project_list(request):
    g = request.GET
    area = selectors.area_for(user=request.user, region=g.get("region", ""))
    programme = g.get("programme", "").strip()[:50]
    status = g.get("status", "") if g.get("status", "") in MutualAidStatus.values else ""
    qs = selectors.project_list(user=request.user, region=area, programme=programme, status=status)
    rules = selectors.matching_rules(user=request.user, area=area)
    totals = charity.matching_totals(qs, rules)
    page = Paginator(qs, 50).get_page(g.get("page"))
    rows = [(p, [charity.matching_for(p, r) for r in rules]) for p in page]
    filters = {"region": g.get("region", "").strip()[:12], "programme": programme, "status": status}
    return render(
        request,
        "community/project_list.html",
        {
            "page": page,
            "rows": rows,
            "rules": rules,
            "totals": totals,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "statuses": MutualAidStatus.choices,
            "can_edit": request.user.can(Cap.DATA_EDIT),
        },
    )


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def project_create(request):
    return _project_form(request, None)


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    return _project_form(request, selectors.project_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT))


def _project_form(request, project):
    initial = None
    if project is not None:
        initial = {name: getattr(project, name) for name in charity.PROJECT_FIELDS}
        initial["region"] = project.region_id
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        region = _resolve_region(request, form)
        if region is not None:
            data = dict(form.cleaned_data)
            data.pop("region")
            try:
                if project is None:
                    charity.project_create(actor=request.user, region=region, **data)
                else:
                    project.region = region
                    charity.project_update(actor=request.user, project=project, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Project saved."))
                return redirect("community:project_list")
    title = _("Edit project") if project else _("New mutual-aid project")
    return render(request, "community/simple_form.html", {"form": form, "title": title})


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def matching_rules(request):
    user = request.user
    can_configure = user.can(Cap.COMMUNITY_CONFIGURE) and bool(user.jurisdiction_id)
    form = MatchingRuleForm(request.POST or None) if can_configure else None
    if request.method == "POST":
        if not can_configure:
            raise PermissionDenied
        if form.is_valid():
            try:
                charity.matching_rule_create(actor=user, region=user.jurisdiction, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Matching rule saved."))
                return redirect("community:matching_rules")
    return render(
        request,
        "community/matching_rules.html",
        {"rules": selectors.matching_rules(user=user), "form": form, "can_configure": can_configure},
    )


@capability_required(Cap.COMMUNITY_CONFIGURE)
@require_POST
def matching_rule_end(request, pk: int):
    """End a rule: projects started after today are no longer matched by it (past matching stands)."""
    rule = selectors.matching_rule_get(user=request.user, pk=pk)
    charity.matching_rule_end(actor=request.user, rule=rule)
    messages.success(request, _("The rule now ends today."))
    return redirect("community:matching_rules")


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def project_matching(request, pk: int):
    """One project's matching: what each rule suggests beside what each funder actually paid; an editor
    records a payment."""
    project = selectors.project_get(user=request.user, pk=pk)
    rules = [r for r in charity.rules_for_area(project.region_id) if charity.matching_for(project, r) > 0]
    can_edit = request.user.can(Cap.DATA_EDIT)

    form = (
        MatchingPaymentForm(
            request.POST or None, rules=MatchingRule.objects.filter(pk__in=[r.pk for r in rules])
        )
        if can_edit
        else None
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        project = selectors.project_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
        if form.is_valid():
            try:
                charity.matching_payment_record(actor=request.user, project=project, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Matching payment recorded."))
                return redirect("community:project_matching", pk=project.pk)
    payments = selectors.matching_payments(user=request.user, project=project)
    paid_by_rule = {}
    for payment in payments:
        paid_by_rule[payment.rule_id] = paid_by_rule.get(payment.rule_id, 0) + payment.amount
    return render(
        request,
        "community/project_matching.html",
        {
            "project": project,
            "suggested": [
                {"rule": r, "amount": charity.matching_for(project, r), "paid": paid_by_rule.get(r.pk, 0)}
                for r in rules
            ],
            "payments": payments,
            "by_funder": charity.payments_by_funder(payments),
            "paid": sum((p.amount for p in payments), 0),
            "form": form,
        },
    )


@capability_required(Cap.COMMUNITY_CONFIGURE)
@require_http_methods(["GET", "POST"])
def matching_rule_edit(request, pk: int):
    """Correct a rule no payment has used yet; the audit trail records the change."""
    rule = selectors.matching_rule_get(user=request.user, pk=pk)
    initial = {name: getattr(rule, name) for name in charity.RULE_FIELDS}
    form = MatchingRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            charity.matching_rule_update(actor=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Matching rule corrected."))
            return redirect("community:matching_rules")
    used = charity.rule_used(rule)
    if used and request.method == "GET":
        messages.warning(request, _("Matching has been paid under this rule; it can no longer be corrected."))
    return render(request, "community/simple_form.html", {"form": form, "title": _("Correct matching rule")})


@capability_required(Cap.COMMUNITY_CONFIGURE)
@require_POST
def matching_rule_delete(request, pk: int):
    rule = selectors.matching_rule_get(user=request.user, pk=pk)
    try:
        charity.matching_rule_delete(actor=request.user, rule=rule)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Matching rule removed."))
    return redirect("community:matching_rules")
