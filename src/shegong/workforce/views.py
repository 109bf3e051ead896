"""Pages of the worker registry: list, file, registration, edits, moves between stations, certificates, and
the audited display of an ID number or phone in clear. Thin: parse, call a selector or service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.forms import add_service_errors, flash_service_errors
from shegong.lib.personal_data import may_see_clear
from shegong.regions.selectors import region_find
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


@capability_required(Cap.DATA_VIEW)
def worker_list(request):
    return WORKERS.page(request, "workforce/worker_list.html", can_edit=request.user.can(Cap.DATA_EDIT))


@capability_required(Cap.DATA_VIEW)
def worker_detail(request, pk: int):
    worker = selectors.worker_get(user=request.user, pk=pk)
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
    if request.method == "POST" and form.is_valid():
        region = None
        code = form.cleaned_data["region_code"].strip() or request.user.jurisdiction_code
        if not form.cleaned_data["facility"]:
            region = region_find(user=request.user, code=code)
            if region is None:
                form.add_error("region_code", _("No division with this code in your jurisdiction."))
        if not form.errors:
            try:
                worker = services.worker_create(
                    actor=request.user,
                    values=form.parsed,
                    region=region,
                    facility=form.cleaned_data["facility"],
                    start_date=form.parsed.get("joined_on"),
                    agency=form.cleaned_data["agency"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Worker registered."))
                return redirect("workforce:worker_detail", pk=worker.pk)
    return render(request, "workforce/worker_form.html", {"form": form, "worker": None})


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def worker_edit(request, pk: int):
    worker = selectors.worker_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.worker_update(
                actor=request.user, worker=worker, values=form.parsed, agency=form.cleaned_data["agency"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("workforce:worker_detail", pk=worker.pk)
    return render(request, "workforce/worker_form.html", {"form": form, "worker": worker})


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def worker_move(request, pk: int):
    worker = selectors.worker_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    current = selectors.worker_current_assignment(user=request.user, worker=worker)
    form = MoveForm(request.POST or None, facilities=selectors.staffable_facilities(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.worker_move(
                actor=request.user,
                worker=worker,
                facility=form.cleaned_data["facility"],
                start_date=form.cleaned_data["start_date"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The worker has moved; the previous assignment is kept in the history.")
            )
            return redirect("workforce:worker_detail", pk=worker.pk)
    return render(request, "workforce/worker_move.html", {"form": form, "worker": worker, "current": current})


@capability_required(Cap.DATA_EDIT)
@require_POST
def worker_leave(request, pk: int):
    worker = selectors.worker_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            services.worker_leave(
                actor=request.user,
                worker=worker,
                left_on=form.cleaned_data["left_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("The worker is recorded as having left."))
    else:
        messages.error(request, _("Give the date of leaving."))
    return redirect("workforce:worker_detail", pk=worker.pk)


@capability_required(Cap.DATA_EDIT)
@require_POST
def worker_return(request, pk: int):
    worker = selectors.worker_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    try:
        services.worker_return(actor=request.user, worker=worker)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("The worker is in post again; assign them to a station."))
    return redirect("workforce:worker_detail", pk=worker.pk)


@capability_required(Cap.DATA_EDIT)
@require_POST
def certificate_add(request, pk: int):
    worker = selectors.worker_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    form = CertificateForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_save(actor=request.user, worker=worker, **form.parsed)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Certificate recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return redirect("workforce:worker_detail", pk=worker.pk)


@capability_required(Cap.DATA_EDIT)
@require_POST
def certificate_delete(request, pk: int):
    certificate = selectors.certificate_get(user=request.user, pk=pk)
    try:
        services.certificate_delete(actor=request.user, certificate=certificate)
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("Certificate deleted."))
    return redirect("workforce:worker_detail", pk=certificate.worker_id)


@capability_required(Cap.DATA_EDIT)
@require_POST
def hours_set(request, pk: int):
    worker = selectors.worker_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    form = EducationHoursForm(request.POST)
    if form.is_valid():
        try:
            services.education_hours_set(actor=request.user, worker=worker, **form.cleaned_data)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Continuing-education hours saved."))
    else:
        messages.error(request, _("Give a year and a number of hours."))
    return redirect("workforce:worker_detail", pk=worker.pk)
