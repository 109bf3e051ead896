"""Pages of the worker registry: list, file, registration, edits, moves between stations, certificates, and
the audited display of an ID number or phone in clear. Thin: parse, call a selector or service, render."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.forms import form_page, initial_of, post_action, to_page
from shegong.lib.personal_data import may_see_clear
from shegong.lib.views import FORM, POST, Record, list_page, record_view
from shegong.workforce import selectors, services
from shegong.workforce.forms import (
    CertificateForm,
    EducationHoursForm,
    LeaveForm,
    MoveForm,
    WorkerCreateForm,
    WorkerForm,
)
from shegong.workforce.lists import WORKERS
from shegong.workforce.views_agencies import region_named

worker_list = list_page(Cap.DATA_VIEW, WORKERS, "workforce/worker_list.html", can_edit=Cap.DATA_EDIT)


@record_view(Cap.DATA_VIEW, selectors.worker_get)
def worker_detail(request, worker):
    can_edit = request.user.can(Cap.DATA_EDIT)
    return render(
        request,
        "workforce/worker_detail.html",
        {
            "worker": worker,
            "current": selectors.worker_current_assignment(user=request.user, worker=worker),
            "assignments": selectors.worker_assignments(user=request.user, worker=worker),
            "certificates": selectors.worker_certificates(user=request.user, worker=worker),
            "education": selectors.worker_education(user=request.user, worker=worker),
            "training": selectors.worker_training(user=request.user, worker=worker),
            "can_edit": can_edit,
            "can_reveal": may_see_clear(request.user),
            "certificate_form": CertificateForm() if can_edit else None,
            "hours_form": EducationHoursForm() if can_edit else None,
            "leave_form": LeaveForm(initial={"left_on": services.today()}) if can_edit else None,
        },
    )


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def worker_create(request):
    form = WorkerCreateForm(
        request.POST or None,
        agencies=selectors.agency_choices(user=request.user),
        facilities=selectors.staffable_facilities(user=request.user),
        initial={"facility": request.GET.get("facility") or None},
    )

    def create(data):
        region = None if data["facility"] else region_named(request, data)
        return services.worker_create(
            actor=request.user,
            values=form.parsed,
            region=region,
            facility=data["facility"],
            start_date=form.parsed.get("joined_on"),
            agency=data["agency"],
        )

    return form_page(
        request,
        form,
        "workforce/worker_form.html",
        {"worker": None},
        run=create,
        success=_("Worker registered."),
        then=_to_worker,
    )


_to_worker = to_page("workforce:worker_detail")


@record_view(Cap.DATA_EDIT, selectors.worker_get, FORM)
def worker_edit(request, worker):
    fields = ("name", "education", "major", "employment_type", "post", "joined_on", "note")
    initial = initial_of(worker, fields, agency="agency_id")
    form = WorkerForm(
        request.POST or None,
        agencies=selectors.agency_choices(user=request.user),
        editing=True,
        initial=initial,
    )
    return form_page(
        request,
        form,
        "workforce/worker_form.html",
        {"worker": worker},
        run=lambda data: services.worker_update(
            actor=request.user, worker=worker, values=form.parsed, agency=data["agency"]
        ),
        success=_("Changes saved."),
        then=_to_worker(worker),
    )


WORKER = Record(Cap.DATA_EDIT, selectors.worker_get, then=_to_worker)
worker_move = WORKER.form_page(
    services.worker_move,
    lambda request, _worker: MoveForm(
        request.POST or None, facilities=selectors.staffable_facilities(user=request.user)
    ),
    "workforce/worker_move.html",
    success=gettext_lazy("The worker has moved; the previous assignment is kept in the history."),
    context=lambda request, worker: {
        "current": selectors.worker_current_assignment(user=request.user, worker=worker)
    },
)
worker_leave = WORKER.post(
    services.worker_leave,
    LeaveForm,
    success=gettext_lazy("The worker is recorded as having left."),
    invalid=gettext_lazy("Give the date of leaving."),
)
worker_return = WORKER.post(
    services.worker_return, success=gettext_lazy("The worker is in post again; assign them to a station.")
)


@record_view(Cap.DATA_EDIT, selectors.worker_get, POST)
def certificate_add(request, worker):
    form = CertificateForm(request.POST)
    return post_action(
        request,
        form,
        lambda _data: services.certificate_save(actor=request.user, worker=worker, **form.parsed),
        success=_("Certificate recorded."),
        then=_to_worker(worker),
    )


CERTIFICATE = Record(
    Cap.DATA_EDIT, selectors.certificate_get, then=to_page("workforce:worker_detail", "worker_id")
)
certificate_delete = CERTIFICATE.post(
    services.certificate_delete, success=gettext_lazy("Certificate deleted.")
)
hours_set = WORKER.post(
    services.education_hours_set,
    EducationHoursForm,
    success=gettext_lazy("Continuing-education hours saved."),
    invalid=gettext_lazy("Give a year and a number of hours."),
)
