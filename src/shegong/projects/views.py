"""Project pages: the list, the record with its targets against live actuals, milestones, payments, status and
documents. Every change goes through services.py."""

import mimetypes

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.evaluations.selectors import evaluation_list
from shegong.lib.decorators import capability_required
from shegong.lib.forms import add_service_errors, flash_service_errors
from shegong.network.selectors import station_choices
from shegong.projects import selectors, services
from shegong.projects.actuals import period_of, targets_against_actuals
from shegong.projects.forms import DocumentForm, MeetForm, MilestoneForm, MoveForm, PaymentForm, ProjectForm
from shegong.projects.lists import PROJECTS
from shegong.projects.workflow import PURCHASE_WORKFLOW
from shegong.regions.selectors import region_find

PAGE_SIZE = 50


@capability_required(Cap.DATA_VIEW)
def project_list(request):
    return PROJECTS.page(request, "projects/project_list.html", can_edit=request.user.can(Cap.NETWORK_MANAGE))


def _project_form(request, project=None):
    initial = {"region": request.user.jurisdiction_code}
    if project is not None:
        initial = {
            "name": project.name,
            "region": project.region_id,
            "purchaser": project.purchaser,
            "funding_source": project.funding_source,
            "amount": project.amount,
            "agency": project.agency_id,
            "stations": list(project.stations.values_list("pk", flat=True)),
            "start_on": project.start_on,
            "end_on": project.end_on,
            "description": project.description,
            **{f"target_{t.indicator}": t.value for t in project.targets.all()},
        }
    form = ProjectForm(
        request.POST or None,
        initial=initial,
        stations=station_choices(user=request.user, capability=Cap.NETWORK_MANAGE),
        agencies=selectors.agency_choices(user=request.user),
    )
    if project is not None:
        form.fields["region"].disabled = True
    return form


@capability_required(Cap.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def project_create(request):
    form = _project_form(request)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        targets = form.targets()
        for key in list(data):
            if key.startswith("target_"):
                data.pop(key)
        region = region_find(user=request.user, code=data.pop("region"), capability=Cap.NETWORK_MANAGE)
        try:
            project = services.project_create(actor=request.user, region=region, targets=targets, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Project recorded at the application stage."))
            return redirect("projects:project_detail", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": None},
        status=400 if form.errors else 200,
    )


@capability_required(Cap.NETWORK_MANAGE)
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    project = selectors.project_get(user=request.user, pk=pk, capability=Cap.NETWORK_MANAGE)
    form = _project_form(request, project)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        targets = form.targets()
        for key in list(data):
            if key.startswith("target_") or key == "region":
                data.pop(key)
        stations = data.pop("stations")
        try:
            services.project_update(
                actor=request.user, project=project, stations=stations, targets=targets, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("projects:project_detail", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project},
        status=400 if form.errors else 200,
    )


def _detail(request, project, *, status: int = 200, **forms):
    user = request.user
    since, until = period_of(project)
    milestones = list(project.milestones.prefetch_related("payments"))
    unpaid = project.milestones.filter(met_on__isnull=False, payments__isnull=True)
    paid = selectors.project_paid(project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "rows": targets_against_actuals(user=user, project=project),
            "since": since,
            "until": until,
            "stations": project.stations.select_related("region").order_by("region_id"),
            "milestones": milestones,
            "payments": project.payments.select_related("milestone"),
            "paid": paid,
            "remaining": project.amount - paid,
            "events": project.events.select_related("actor"),
            "documents": project.documents.all(),
            "moves": PURCHASE_WORKFLOW.choices(project, user),
            "can_edit": user.can(Cap.NETWORK_MANAGE),
            "milestone_form": forms.get("milestone_form") or MilestoneForm(),
            "payment_form": forms.get("payment_form") or PaymentForm(milestones=unpaid),
            "meet_form": MeetForm(),
            "document_form": forms.get("document_form") or DocumentForm(),
            "evaluations": _evaluations(user, project),
        },
        status=status,
    )


def _evaluations(user, project):
    """The project's evaluations, where the evaluations app is installed."""

    if not apps.is_installed("shegong.evaluations"):
        return []

    return evaluation_list(user=user, project=project)


@capability_required(Cap.DATA_VIEW)
def project_detail(request, pk):
    return _detail(request, selectors.project_get(user=request.user, pk=pk))


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def project_move(request, pk):
    project = selectors.project_get(user=request.user, pk=pk, capability=Cap.NETWORK_MANAGE)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.project_transition(
                actor=request.user,
                project=project,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Status changed."))
    return redirect("projects:project_detail", pk=project.pk)


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def milestone_add(request, pk):
    project = selectors.project_get(user=request.user, pk=pk, capability=Cap.NETWORK_MANAGE)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Milestone added."))
            return redirect("projects:project_detail", pk=project.pk)
    return _detail(request, project, status=400, milestone_form=form)


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def milestone_meet(request, pk):
    milestone = selectors.milestone_get(user=request.user, pk=pk, capability=Cap.NETWORK_MANAGE)
    form = MeetForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_meet(actor=request.user, milestone=milestone, **form.cleaned_data)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Milestone met."))
    else:
        messages.error(request, _("Give the date the milestone was met."))
    return redirect("projects:project_detail", pk=milestone.project_id)


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def payment_add(request, pk):
    project = selectors.project_get(user=request.user, pk=pk, capability=Cap.NETWORK_MANAGE)
    form = PaymentForm(request.POST, milestones=project.milestones.all())
    if form.is_valid():
        try:
            services.payment_record(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("projects:project_detail", pk=project.pk)
    return _detail(request, project, status=400, payment_form=form)


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def document_add(request, pk):
    project = selectors.project_get(user=request.user, pk=pk, capability=Cap.NETWORK_MANAGE)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("projects:project_detail", pk=project.pk)
    return _detail(request, project, status=400, document_form=form)


@capability_required(Cap.DATA_VIEW)
def document_download(request, pk):
    document = selectors.document_get(user=request.user, pk=pk)
    name = document.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
