"""Pages of standards checklists and assessments, honours and targets."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.forms import form_page, to_page
from shegong.lib.views import POST, Record, record_view, stored_file
from shegong.network import selectors, services
from shegong.network.coverage import checklist_compliance, network_figures, target_progress
from shegong.network.forms import AssessmentForm, ChecklistForm, HonourForm, TargetForm
from shegong.network.views import region_of, without_code

# --- Checklists ----------------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
def checklist_list(request):
    user = request.user
    return render(
        request,
        "network/checklist_list.html",
        {
            "checklists": selectors.checklist_list(user=user).prefetch_related("items"),
            "can_manage": user.can(Cap.NETWORK_MANAGE),
        },
    )


@capability_required(Cap.DATA_VIEW)
def checklist_detail(request, pk: int):
    user = request.user
    checklist = selectors.checklist_get(user=user, pk=pk)
    compliance = checklist_compliance(user=user, checklist=checklist, region=user.jurisdiction)
    items = [(item, compliance["items"].get(item.pk)) for item in checklist.items.all()]
    return render(
        request,
        "network/checklist_detail.html",
        {
            "checklist": checklist,
            "items": items,
            "compliance": compliance,
            "can_manage": user.can(Cap.NETWORK_MANAGE),
            "can_edit_this": user.can(Cap.NETWORK_MANAGE)
            and checklist.region_id is not None
            and checklist.region_id.startswith(user.jurisdiction_code),
        },
    )


@capability_required(Cap.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def checklist_create(request):
    return form_page(
        request,
        ChecklistForm(request.POST or None),
        "network/checklist_form.html",
        run=lambda data: services.checklist_create(
            actor=request.user, region=request.user.jurisdiction, **data
        ),
        success=_("Checklist saved."),
        then=_to_checklist,
    )


_to_checklist = to_page("network:checklist_detail")


def _checklist_form(request, checklist):
    items = "\n".join(item.text for item in checklist.items.all())
    initial = {"name": checklist.name, "description": checklist.description, "items": items}
    return ChecklistForm(request.POST or None, initial=initial)


CHECKLIST = Record(Cap.NETWORK_MANAGE, selectors.checklist_get_for_edit, then=_to_checklist)
checklist_edit = CHECKLIST.form_page(
    services.checklist_update,
    _checklist_form,
    "network/checklist_form.html",
    success=gettext_lazy("Checklist saved."),
)


@record_view(Cap.NETWORK_MANAGE, selectors.checklist_get, POST)
def checklist_copy(request, checklist):
    copy = services.checklist_copy(actor=request.user, checklist=checklist, region=request.user.jurisdiction)
    messages.success(request, _("Copied into your region; edit the copy as you need."))
    return redirect("network:checklist_edit", pk=copy.pk)


# --- Assessments ---------------------------------------------------------------------------------


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def assessment_start(request, pk: int, checklist: int):
    user = request.user
    facility = selectors.facility_get(user=user, pk=pk, capability=Cap.DATA_EDIT)
    checklist = selectors.checklists_for_facility(user=user, facility=facility).filter(pk=checklist).first()
    if checklist is None:
        raise Http404
    form = AssessmentForm(request.POST or None, request.FILES or None, checklist=checklist)
    return form_page(
        request,
        form,
        "network/assessment_form.html",
        {"facility": facility, "checklist": checklist},
        run=lambda data: services.assessment_create(
            actor=user,
            facility=facility,
            checklist=checklist,
            assessed_on=data["assessed_on"],
            note=data["note"],
            results=form.results(),
        ),
        success=_("Assessment saved."),
        then=to_page("network:assessment_detail"),
    )


@record_view(Cap.DATA_VIEW, selectors.assessment_get)
def assessment_detail(request, assessment):
    results = list(selectors.assessment_results(user=request.user, assessment=assessment))
    met = sum(1 for r in results if r.result == "met")
    return render(
        request,
        "network/assessment_detail.html",
        {"assessment": assessment, "facility": assessment.facility, "results": results, "met": met},
    )


@record_view(Cap.DATA_VIEW, selectors.result_get)
def evidence_file(request, result):
    if not result.evidence:
        raise Http404
    return stored_file(result.evidence, as_attachment=True, filename=result.evidence.name.rsplit("/", 1)[-1])


# --- Honours -------------------------------------------------------------------------------------


FACILITY = Record(Cap.NETWORK_MANAGE, selectors.facility_get, then=to_page("network:facility_detail"))
honour_create = FACILITY.form_page(
    services.honour_create, HonourForm, "network/honour_form.html", success=gettext_lazy("Honour recorded.")
)


@record_view(Cap.NETWORK_MANAGE, selectors.honour_get, POST)
def honour_delete(request, honour):
    facility_id = honour.facility_id
    services.honour_delete(actor=request.user, honour=honour)
    messages.success(request, _("Honour deleted."))
    return redirect("network:facility_detail", pk=facility_id)


# --- Targets -------------------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
def target_list(request):
    user = request.user
    targets = list(selectors.target_list(user=user))
    figures_by_region = {}
    progress = []
    for target in targets:
        # Targets are few (a handful per region); their regions' figures are counted once each.
        if target.region_id not in figures_by_region:
            figures_by_region[target.region_id] = network_figures(user=user, region=target.region).total
        progress.append(target_progress(target, figures_by_region[target.region_id]))
    form = TargetForm(initial={"region_code": request.GET.get("region") or user.jurisdiction_code})
    return render(
        request,
        "network/target_list.html",
        {"progress": progress, "form": form if user.can(Cap.NETWORK_MANAGE) else None},
    )


@capability_required(Cap.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def target_create(request):
    return form_page(
        request,
        TargetForm(request.POST or None),
        "network/target_form.html",
        run=lambda data: services.target_create(
            actor=request.user, region=region_of(request, data), **without_code(data)
        ),
        success=_("Target saved."),
        then="network:target_list",
    )


@record_view(Cap.NETWORK_MANAGE, selectors.target_get, POST)
def target_delete(request, target):
    services.target_delete(actor=request.user, target=target)
    messages.success(request, _("Target deleted."))
    return redirect("network:target_list")
