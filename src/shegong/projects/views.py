"""Project pages: the list, the record with its targets against live actuals, milestones, payments, status and
documents. Every change goes through services.py."""

import mimetypes

from django.apps import apps
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.evaluations.selectors import evaluation_list
from shegong.lib.decorators import capability_required
from shegong.lib.forms import form_page, to_page
from shegong.lib.views import FORM, Record, list_page, record_view
from shegong.network.selectors import station_choices
from shegong.projects import selectors, services
from shegong.projects.actuals import period_of, targets_against_actuals
from shegong.projects.forms import DocumentForm, MeetForm, MilestoneForm, MoveForm, PaymentForm, ProjectForm
from shegong.projects.lists import PROJECTS
from shegong.projects.workflow import PURCHASE_WORKFLOW
from shegong.regions.selectors import region_find

PAGE_SIZE = 50


project_list = list_page(Cap.DATA_VIEW, PROJECTS, "projects/project_list.html", can_edit=Cap.NETWORK_MANAGE)


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

    def create(data):
        data = {key: value for key, value in data.items() if not key.startswith("target_")}
        region = region_find(user=request.user, code=data.pop("region"), capability=Cap.NETWORK_MANAGE)
        return services.project_create(actor=request.user, region=region, targets=form.targets(), **data)

    return form_page(
        request,
        form,
        "projects/project_form.html",
        {"project": None},
        run=create,
        success=_("Project recorded at the application stage."),
        then=_to_detail,
    )


_to_detail = to_page("projects:project_detail")


@record_view(Cap.NETWORK_MANAGE, selectors.project_get, FORM)
def project_edit(request, project):
    form = _project_form(request, project)

    def update(data):
        data = {
            key: value for key, value in data.items() if not key.startswith("target_") and key != "region"
        }
        services.project_update(actor=request.user, project=project, targets=form.targets(), **data)

    return form_page(
        request,
        form,
        "projects/project_form.html",
        {"project": project},
        run=update,
        success=_("Saved."),
        then=_to_detail(project),
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


project_detail = record_view(Cap.DATA_VIEW, selectors.project_get)(_detail)


PROJECT = Record(Cap.NETWORK_MANAGE, selectors.project_get, then=_to_detail, page=_detail)
project_move = PROJECT.post(services.project_transition, MoveForm, success=gettext_lazy("Status changed."))
milestone_add = PROJECT.form(
    services.milestone_add, MilestoneForm, "milestone_form", success=gettext_lazy("Milestone added.")
)
payment_add = PROJECT.form(
    services.payment_record,
    lambda request, project: PaymentForm(request.POST, milestones=project.milestones.all()),
    "payment_form",
    success=gettext_lazy("Payment recorded."),
)
document_add = PROJECT.form(
    services.document_add,
    lambda request, _project: DocumentForm(request.POST, request.FILES),
    "document_form",
    success=gettext_lazy("Document uploaded."),
)
MILESTONE = Record(
    Cap.NETWORK_MANAGE, selectors.milestone_get, then=to_page("projects:project_detail", "project_id")
)
milestone_meet = MILESTONE.post(
    services.milestone_meet,
    MeetForm,
    success=gettext_lazy("Milestone met."),
    invalid=gettext_lazy("Give the date the milestone was met."),
)


@record_view(Cap.DATA_VIEW, selectors.document_get)
def document_download(request, document):
    name = document.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
