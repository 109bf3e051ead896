"""Pages of training sessions and attendance, and of awards, allowances and their payments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.lib.decorators import capability_required
from shegong.lib.forms import (
    as_id,
    flash_service_errors,
    form_done,
    form_page,
    initial_of,
    post_action,
    to_page,
)
from shegong.lib.views import POST, Record, create_and_edit, record_view
from shegong.workforce import selectors, selectors_awards, services, services_awards, services_training
from shegong.workforce.forms import AttendanceForm, AwardRuleForm, PaymentForm, TrainingForm
from shegong.workforce.lists import TRAININGS
from shegong.workforce.models import AwardKind
from shegong.workforce.views_agencies import region_named, without_region


@capability_required(Cap.DATA_VIEW)
def training_list(request):
    year = request.GET.get("year", "")
    year = as_id(year) if len(year) == 4 else None
    return TRAININGS.page(
        request,
        "workforce/training_list.html",
        by_worker=selectors.training_by_worker(user=request.user, year=year)[:20],
        can_edit=request.user.can(Cap.DATA_EDIT),
    )


def _training_form_page(request, session=None):
    initial = initial_of(session, services_training.TRAINING_FIELDS, region_code="region_id")

    def save(data):
        region = region_named(request, data)
        if session is None:
            return services_training.training_create(
                actor=request.user, region=region, **without_region(data)
            )
        session.region = region
        services_training.training_update(actor=request.user, session=session, **without_region(data))
        return session

    return form_page(
        request,
        TrainingForm(request.POST or None, initial=initial),
        "workforce/training_form.html",
        {"session": session},
        run=save,
        success=_("Training session saved."),
        then=to_page("workforce:training_detail"),
    )


training_create, training_edit = create_and_edit(Cap.DATA_EDIT, selectors.training_get, _training_form_page)


@record_view(Cap.DATA_VIEW, selectors.training_get)
def training_detail(request, session):
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


@record_view(Cap.DATA_EDIT, selectors.training_get, POST)
def attendance_add(request, session):
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
            flash_service_errors(request, exc)
        else:
            if created:
                messages.success(request, _("Attendance recorded."))
            else:
                messages.info(request, _("This worker's attendance was already recorded."))
    return redirect("workforce:training_detail", pk=session.pk)


attendance_remove = Record(
    Cap.DATA_EDIT, selectors.attendance_get, then=to_page("workforce:training_detail", "session_id")
).post(services_training.attendance_remove, success=gettext_lazy("Attendance removed."))


# --- Awards and allowances ---------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
@require_http_methods(["GET", "POST"])
def award_list(request):
    can_edit = request.user.can(Cap.DATA_EDIT)
    form = AwardRuleForm(request.POST or None, initial={"valid_from": services.today()}) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        done = form_done(
            request,
            form,
            lambda data: services_awards.award_rule_create(
                actor=request.user, region=region_named(request, data), **without_region(data)
            ),
            success=_("Award rule saved."),
            then=to_page("workforce:award_detail"),
        )
        if done:
            return done
    return render(
        request,
        "workforce/award_list.html",
        {
            "rules": selectors_awards.award_rule_list(user=request.user),
            "form": form,
            "payments": selectors_awards.payment_list(user=request.user)[:20],
        },
    )


@record_view(Cap.DATA_VIEW, selectors_awards.award_rule_get)
def award_detail(request, rule):
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


@record_view(Cap.DATA_EDIT, selectors_awards.award_rule_get, POST)
def payment_record(request, rule):
    form = PaymentForm(request.POST)
    period = request.POST.get("period", "")

    def pay(data):
        data = dict(data)
        worker = selectors.worker_get(user=request.user, pk=data.pop("worker"), capability=Cap.DATA_EDIT)
        services_awards.payment_record(actor=request.user, rule=rule, worker=worker, **data)
        return worker

    url = post_action(
        request,
        form,
        pay,
        success=lambda worker: _("Payment to %(name)s recorded.") % {"name": worker.name},
        then=("workforce:award_detail", rule.pk),
        invalid=_("Give the date of payment."),
    )
    if period:
        url["Location"] += "?" + urlencode({"period": period})
    return url
