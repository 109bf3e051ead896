"""Pages for the code tables of people served: visit frequency rules and categories."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.clients import selectors, services
from shegong.clients.forms import CategoryForm, VisitRuleForm
from shegong.lib.decorators import capability_required
from shegong.lib.forms import add_service_errors


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def visit_rules(request):
    categories = selectors.category_list(user=request.user)
    can_configure = request.user.can(Cap.CASEWORK_CONFIGURE) and bool(request.user.jurisdiction_id)
    form = VisitRuleForm(request.POST or None, categories=categories)
    if request.method == "POST":
        if not can_configure:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.visit_rule_set(
                    actor=request.user,
                    region=request.user.jurisdiction,
                    interval_days=form.cleaned_data["interval_days"],
                    **form.rule_key(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Visit rule saved."))
                return redirect("clients:visit_rules")
    rules = list(selectors.visit_rule_list(user=request.user))
    code = request.user.jurisdiction_code
    deletable = {r.pk for r in rules if can_configure and r.region_id and r.region_id.startswith(code)}
    return render(
        request,
        "clients/visit_rules.html",
        {"rules": rules, "form": form, "can_configure": can_configure, "deletable": deletable},
    )


@capability_required(Cap.CASEWORK_CONFIGURE)
@require_POST
def visit_rule_delete(request, pk):
    rule = selectors.visit_rule_get(user=request.user, pk=pk)
    try:
        services.visit_rule_delete(actor=request.user, rule=rule)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Visit rule removed."))
    return redirect("clients:visit_rules")


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def categories(request):
    can_configure = request.user.can(Cap.CASEWORK_CONFIGURE) and bool(request.user.jurisdiction_id)
    form = CategoryForm(request.POST or None)
    if request.method == "POST":
        if not can_configure:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.category_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Category added."))
                return redirect("clients:categories")
    return render(
        request,
        "clients/categories.html",
        {
            "categories": selectors.category_list(user=request.user, active_only=False).select_related(
                "region"
            ),
            "form": form,
            "can_configure": can_configure,
        },
    )
