"""Pages of training sessions and attendance, and of awards, allowances and their payments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.forms import add_service_errors
from shegong.workforce import selectors, selectors_awards, services, services_awards, services_training
from shegong.workforce.forms import AttendanceForm, AwardRuleForm, PaymentForm, TrainingForm
from shegong.workforce.lists import TRAININGS
from shegong.workforce.models import AwardKind
from shegong.workforce.views_agencies import _region_from


@capability_required(Cap.DATA_VIEW)
def training_list(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and len(year) == 4 else None
    return TRAININGS.page(
        request,
        "workforce/training_list.html",
        by_worker=selectors.training_by_worker(user=request.user, year=year)[:20],
        can_edit=request.user.can(Cap.DATA_EDIT),
    )


def _training_form_page(request, session=None):
    initial = {}
    if session is not None:
        initial = {key: getattr(session, key) for key in services_training.TRAINING_FIELDS}
        initial["region_code"] = session.region_id
    form = TrainingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        region = _region_from(form, request)
        if region is not None:
            values = {k: v for k, v in form.cleaned_data.items() if k != "region_code"}
            try:
                if session is None:
                    session = services_training.training_create(actor=request.user, region=region, **values)
                else:
                    session.region = region
                    services_training.training_update(actor=request.user, session=session, **values)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Training session saved."))
                return redirect("workforce:training_detail", pk=session.pk)
    return render(request, "workforce/training_form.html", {"form": form, "session": session})


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def training_create(request):
    return _training_form_page(request)


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def training_edit(request, pk: int):
    session = selectors.training_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    return _training_form_page(request, session)


@capability_required(Cap.DATA_VIEW)
def training_detail(request, pk: int):
    session = selectors.training_get(user=request.user, pk=pk)
    attendance = selectors.training_attendance(user=request.user, session=session)
    can_edit = request.user.can(Cap.DATA_EDIT)
    term = request.GET.get("find", "").strip()[:30]
    found = (
        selectors.worker_search_for_attendance(user=request.user, term=term)[:20] if can_edit and term else []
    )
    return render(
        request,
        "workforce/training_detail.html",
        {
            "session": session,
            "attendance": attendance,
            "person_times": len(attendance) + session.outsiders,
            "can_edit": can_edit,
            "find": term,
            "found": found,
        },
    )


@capability_required(Cap.DATA_EDIT)
@require_POST
def attendance_add(request, pk: int):
    session = selectors.training_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    form = AttendanceForm(request.POST)
    worker_id = form.cleaned_data.get("worker") if form.is_valid() else None
    worker = (
        selectors.worker_get(user=request.user, pk=worker_id, capability=Cap.DATA_EDIT) if worker_id else None
    )
    if worker is None:
        messages.error(request, _("Choose a worker."))
    else:
        try:
            _attendance, created = services_training.attendance_add(
                actor=request.user, session=session, worker=worker
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if created:
                messages.success(request, _("Attendance recorded."))
            else:
                messages.info(request, _("This worker's attendance was already recorded."))
    return redirect("workforce:training_detail", pk=session.pk)


@capability_required(Cap.DATA_EDIT)
@require_POST
def attendance_remove(request, pk: int):
    attendance = selectors.attendance_get(user=request.user, pk=pk)
    session_id = attendance.session_id
    try:
        services_training.attendance_remove(actor=request.user, attendance=attendance)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Attendance removed."))
    return redirect("workforce:training_detail", pk=session_id)


# --- Awards and allowances ---------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def award_list(request):
    can_edit = request.user.can(Cap.DATA_EDIT)
    form = AwardRuleForm(request.POST or None, initial={"valid_from": services.today()}) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            region = _region_from(form, request)
            if region is not None:
                values = {k: v for k, v in form.cleaned_data.items() if k != "region_code"}
                try:
                    rule = services_awards.award_rule_create(actor=request.user, region=region, **values)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Award rule saved."))
                    return redirect("workforce:award_detail", pk=rule.pk)
    return render(
        request,
        "workforce/award_list.html",
        {
            "rules": selectors_awards.award_rule_list(user=request.user),
            "form": form,
            "payments": selectors_awards.payment_list(user=request.user)[:20],
        },
    )


@capability_required(Cap.DATA_VIEW)
def award_detail(request, pk: int):
    rule = selectors_awards.award_rule_get(user=request.user, pk=pk)
    period = request.GET.get("period", "").strip()[:7] or services.today().strftime("%Y-%m")
    due = selectors_awards.award_due(user=request.user, rule=rule, period=period)
    return render(
        request,
        "workforce/award_detail.html",
        {
            "rule": rule,
            "period": period if rule.kind == AwardKind.MONTHLY else "",
            "monthly": rule.kind == AwardKind.MONTHLY,
            "due": due[:500],
            "due_count": due.count(),
            "payments": selectors_awards.payment_list(user=request.user, rule=rule)[:200],
            "can_pay": request.user.can(Cap.DATA_EDIT),
            "today": services.today(),
        },
    )


@capability_required(Cap.DATA_EDIT)
@require_POST
def payment_record(request, pk: int):
    rule = selectors_awards.award_rule_get(user=request.user, pk=pk)
    form = PaymentForm(request.POST)
    period = request.POST.get("period", "")
    if form.is_valid():
        worker = selectors.worker_get(
            user=request.user, pk=form.cleaned_data["worker"], capability=Cap.DATA_EDIT
        )
        try:
            services_awards.payment_record(
                actor=request.user,
                rule=rule,
                worker=worker,
                period=form.cleaned_data["period"],
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Payment to %(name)s recorded.") % {"name": worker.name})
    else:
        messages.error(request, _("Give the date of payment."))
    url = redirect("workforce:award_detail", pk=rule.pk)
    if period:
        url["Location"] += "?" + urlencode({"period": period})
    return url
