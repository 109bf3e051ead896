"""Pages for the code tables of people served: visit frequency rules and categories."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.clients import selectors, services
from shegong.clients.forms import CategoryForm, VisitRuleForm
from shegong.lib.decorators import capability_required
from shegong.lib.forms import flash_action, form_done
from shegong.lib.views import POST, configure_page, configures, record_view


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def visit_rules(request):
    categories = selectors.category_list(user=request.user)
    can_configure = configures(request.user, Cap.CASEWORK_CONFIGURE)
    form = VisitRuleForm(request.POST or None, categories=categories)
    done = form_done(
        request,
        form if can_configure else None,
        lambda data: services.visit_rule_set(
            actor=request.user,
            region=request.user.jurisdiction,
            interval_days=data["interval_days"],
            **form.rule_key(),
        ),
        success=_("Visit rule saved."),
        then="clients:visit_rules",
    )
    if done:
        return done
    rules = list(selectors.visit_rule_list(user=request.user))
    code = request.user.jurisdiction_code
    deletable = {r.pk for r in rules if can_configure and r.region_id and r.region_id.startswith(code)}
    return render(
        request,
        "clients/visit_rules.html",
        {"rules": rules, "form": form, "can_configure": can_configure, "deletable": deletable},
    )


@record_view(Cap.CASEWORK_CONFIGURE, selectors.visit_rule_get, POST)
def visit_rule_delete(request, rule):
    flash_action(
        request, services.visit_rule_delete, success=_("Visit rule removed."), actor=request.user, rule=rule
    )
    return redirect("clients:visit_rules")


categories = configure_page(
    Cap.CASEWORK_CONFIGURE,
    CategoryForm,
    services.category_create,
    "clients/categories.html",
    lambda request: {
        "categories": selectors.category_list(user=request.user, active_only=False).select_related("region")
    },
    success=gettext_lazy("Category added."),
    then="clients:categories",
)
