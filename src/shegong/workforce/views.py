"""Pages of the worker registry: list, file, registration, edits, moves between stations, certificates, and
the audited display of an ID number or phone in clear. Thin: parse, call a selector or service, render."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.forms import flash_action, form_page, post_action
from shegong.lib.personal_data import may_see_clear
from shegong.lib.views import FORM, POST, record_view
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


@capability_required(Cap.DATA_VIEW)
def worker_list(request):
    return WORKERS.page(request, "workforce/worker_list.html", can_edit=request.user.can(Cap.DATA_EDIT))


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


def _to_worker(worker):
    return ("workforce:worker_detail", worker.pk)


@record_view(Cap.DATA_EDIT, selectors.worker_get, FORM)
def worker_edit(request, worker):
    initial = {
        key: getattr(worker, key)
        for key in ("name", "education", "major", "employment_type", "post", "joined_on", "note")
    }
    initial["agency"] = worker.agency_id
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


@record_view(Cap.DATA_EDIT, selectors.worker_get, FORM)
def worker_move(request, worker):
    current = selectors.worker_current_assignment(user=request.user, worker=worker)
    return form_page(
        request,
        MoveForm(request.POST or None, facilities=selectors.staffable_facilities(user=request.user)),
        "workforce/worker_move.html",
        {"worker": worker, "current": current},
        run=lambda data: services.worker_move(actor=request.user, worker=worker, **data),
        success=_("The worker has moved; the previous assignment is kept in the history."),
        then=_to_worker(worker),
    )


@record_view(Cap.DATA_EDIT, selectors.worker_get, POST)
def worker_leave(request, worker):
    return post_action(
        request,
        LeaveForm(request.POST),
        lambda data: services.worker_leave(actor=request.user, worker=worker, **data),
        success=_("The worker is recorded as having left."),
        then=_to_worker(worker),
        invalid=_("Give the date of leaving."),
    )


@record_view(Cap.DATA_EDIT, selectors.worker_get, POST)
def worker_return(request, worker):
    flash_action(
        request,
        services.worker_return,
        success=_("The worker is in post again; assign them to a station."),
        actor=request.user,
        worker=worker,
    )
    return redirect(*_to_worker(worker))


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


@record_view(Cap.DATA_EDIT, selectors.certificate_get, POST)
def certificate_delete(request, certificate):
    flash_action(
        request,
        services.certificate_delete,
        success=_("Certificate deleted."),
        actor=request.user,
        certificate=certificate,
    )
    return redirect("workforce:worker_detail", pk=certificate.worker_id)


@record_view(Cap.DATA_EDIT, selectors.worker_get, POST)
def hours_set(request, worker):
    return post_action(
        request,
        EducationHoursForm(request.POST),
        lambda data: services.education_hours_set(actor=request.user, worker=worker, **data),
        success=_("Continuing-education hours saved."),
        then=_to_worker(worker),
        invalid=_("Give a year and a number of hours."),
    )
