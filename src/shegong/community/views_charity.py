"""Pages of charitable resources: donations, community charity funds, mutual-aid projects and matching rules."""

from django.contrib import messages
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

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
from shegong.community.lists import DONATIONS, PROJECTS
from shegong.community.models import MatchingRule
from shegong.community.views_volunteers import region_and_rest
from shegong.lib.decorators import capability_required
from shegong.lib.forms import form_done, form_page, initial_of, to_page
from shegong.lib.views import FORM, POST, Record, configures, record_view
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
    return form_page(
        request,
        form,
        "community/simple_form.html",
        {"title": _("Record a donation")},
        run=lambda data: charity.donation_create(actor=request.user, **data),
        success=_("Donation recorded."),
        then="community:donation_list",
    )


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def fund_list(request):
    can_edit = request.user.can(Cap.DATA_EDIT)
    form = FundForm(request.POST or None) if can_edit else None
    done = form_done(
        request,
        form,
        lambda data: charity.fund_create(actor=request.user, **region_and_rest(request, data)),
        success=_("Fund set up."),
        then=to_page("community:fund_detail"),
    )
    if done:
        return done
    funds = selectors.fund_list(user=request.user)
    return render(
        request,
        "community/fund_list.html",
        {"funds": funds, "total": funds.order_by().aggregate(s=Sum("balance"))["s"], "form": form},
    )


@record_view(Cap.DATA_VIEW, selectors.fund_get, FORM, posted=Cap.DATA_EDIT)
def fund_detail(request, fund):
    can_edit = request.user.can(Cap.DATA_EDIT)
    form = FundEntryForm(request.POST or None) if can_edit else None
    done = form_done(
        request,
        form,
        lambda data: charity.fund_entry_add(actor=request.user, fund=fund, **data),
        success=_("Entry recorded."),
        then=("community:fund_detail", fund.pk),
    )
    return done or render(
        request,
        "community/fund_detail.html",
        {"fund": fund, "entries": selectors.fund_entries(user=request.user, fund=fund)[:500], "form": form},
    )


@capability_required(Cap.DATA_VIEW)
def project_list(request):
    area = selectors.area_for(user=request.user, region=request.GET.get("region", "").strip()[:12])

    def totals(rows):
        return {
            "totals": charity.matching_totals(rows, selectors.matching_rules(user=request.user, area=area))
        }

    return PROJECTS.page(
        request, "community/project_list.html", summary=totals, can_edit=request.user.can(Cap.DATA_EDIT)
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
    initial = initial_of(project, charity.PROJECT_FIELDS, region="region_id")

    def save(data):
        data = region_and_rest(request, data)
        if project is None:
            charity.project_create(actor=request.user, **data)
        else:
            project.region = data.pop("region")
            charity.project_update(actor=request.user, project=project, **data)

    return form_page(
        request,
        ProjectForm(request.POST or None, initial=initial),
        "community/simple_form.html",
        {"title": _("Edit project") if project else _("New mutual-aid project")},
        run=save,
        success=_("Project saved."),
        then="community:project_list",
    )


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def matching_rules(request):
    user = request.user
    can_configure = configures(user, Cap.COMMUNITY_CONFIGURE)
    form = MatchingRuleForm(request.POST or None) if can_configure else None
    done = form_done(
        request,
        form,
        lambda data: charity.matching_rule_create(actor=user, region=user.jurisdiction, **data),
        success=_("Matching rule saved."),
        then="community:matching_rules",
    )
    return done or render(
        request,
        "community/matching_rules.html",
        {"rules": selectors.matching_rules(user=user), "form": form, "can_configure": can_configure},
    )


@record_view(Cap.COMMUNITY_CONFIGURE, selectors.matching_rule_get, POST)
def matching_rule_end(request, rule):
    """End a rule: projects started after today are no longer matched by it (past matching stands)."""
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
    if request.method == "POST" and can_edit:
        project = selectors.project_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    done = form_done(
        request,
        form,
        lambda data: charity.matching_payment_record(actor=request.user, project=project, **data),
        success=_("Matching payment recorded."),
        then=("community:project_matching", project.pk),
    )
    if done:
        return done
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


@record_view(Cap.COMMUNITY_CONFIGURE, selectors.matching_rule_get, FORM)
def matching_rule_edit(request, rule):
    """Correct a rule no payment has used yet; the audit trail records the change."""
    form = MatchingRuleForm(request.POST or None, initial=initial_of(rule, charity.RULE_FIELDS))
    done = form_done(
        request,
        form,
        lambda data: charity.matching_rule_update(actor=request.user, rule=rule, **data),
        success=_("Matching rule corrected."),
        then="community:matching_rules",
    )
    if done:
        return done
    used = charity.rule_used(rule)
    if used and request.method == "GET":
        messages.warning(request, _("Matching has been paid under this rule; it can no longer be corrected."))
    return render(request, "community/simple_form.html", {"form": form, "title": _("Correct matching rule")})


matching_rule_delete = Record(
    Cap.COMMUNITY_CONFIGURE,
    selectors.matching_rule_get,
    then=lambda _rule: "community:matching_rules",
    noun="rule",
).post(charity.matching_rule_delete, success=gettext_lazy("Matching rule removed."))
