"""Case pages. Every stage change goes through services.case_transition / approval_decide, which read the one
transition table (workflow.py); the page only offers the moves the table allows and shows the refusals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.roles import Cap
from shegong.casework import selectors, services
from shegong.casework.forms import (
    CaseOpenForm,
    ContactForm,
    DecisionForm,
    MoveForm,
    ReferralAnswerForm,
    ReferralForm,
    TransferForm,
    service_fields,
    stage_form,
)
from shegong.casework.lists import CASES
from shegong.casework.models import NEED_DOMAINS, ApprovalStatus, Stage
from shegong.casework.workflow import CASE_WORKFLOW
from shegong.clients.selectors import person_get
from shegong.lib.decorators import capability_required
from shegong.lib.forms import add_service_errors, flash_service_errors
from shegong.network.selectors import station_choices

PAGE_SIZE = 50


@capability_required(Cap.DATA_VIEW)
def case_list(request):
    pending = (
        selectors.approval_list(user=request.user).count() if request.user.can(Cap.CASE_APPROVE) else None
    )
    inbox = selectors.referral_inbox(user=request.user).count()
    return CASES.page(request, "casework/case_list.html", pending=pending, inbox=inbox)


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def case_create(request, person_pk):
    person = person_get(user=request.user, pk=person_pk, capability=Cap.DATA_EDIT)
    stations = station_choices(user=request.user)
    form = CaseOpenForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Case opened."))
            return redirect("casework:case_detail", pk=case.pk)
    return render(request, "casework/case_form.html", {"form": form, "person": person, "stations": stations})


def _detail_context(request, case, *, record_form=None, contact_form=None):
    user = request.user
    can_edit = user.can(Cap.DATA_EDIT)
    pending = selectors.pending_approval(case=case)
    targets = selectors.referral_targets(user=user, case=case)
    return {
        "case": case,
        "can_edit": can_edit and pending is None,
        # A service can be given while a stage change awaits approval; only the case's own record waits.
        "can_record_service": can_edit,
        "record_form": record_form if record_form is not None else stage_form(case),
        "moves": [
            {"to": m.to, "label": CASE_WORKFLOW.label(m.to), "approval": m.approval}
            for m in CASE_WORKFLOW.allowed(case, user)
        ],
        "pending": pending,
        "can_decide": pending is not None
        and user.can(Cap.CASE_APPROVE)
        and pending.requested_by_id != user.pk
        and case.worker_id != user.pk,
        "contacts": selectors.case_contacts(user=user, case=case),
        "contact_form": contact_form or ContactForm(),
        "takes_contacts": case.stage in (Stage.INTERVENTION, Stage.CLOSURE, Stage.FOLLOW_UP),
        "history": selectors.case_history(user=user, case=case),
        "referrals": selectors.case_referrals(user=user, case=case),
        "transfer_form": TransferForm(stations=station_choices(user=user).exclude(pk=case.station_id)),
        "referral_form": ReferralForm(stations=targets),
        "needs": [(label, case.needs.get(key, "")) for key, label in NEED_DOMAINS if case.needs.get(key)],
        "decision_form": DecisionForm(),
        "stages": Stage.choices,
    }


@capability_required(Cap.DATA_VIEW)
def case_detail(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    return render(request, "casework/case_detail.html", _detail_context(request, case))


@capability_required(Cap.DATA_EDIT)
@require_POST
def case_record(request, pk):
    """Save the current stage's record (assessment, plan, evaluation …)."""
    case = selectors.case_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    form = stage_form(case, request.POST)
    if form is None:
        raise Http404
    if form.is_valid():
        try:
            services.case_update(actor=request.user, case=case, **service_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("casework:case_detail", pk=case.pk)
    case.refresh_from_db()
    return render(
        request, "casework/case_detail.html", _detail_context(request, case, record_form=form), status=400
    )


@capability_required(Cap.DATA_EDIT)
@require_POST
def case_move(request, pk):
    case = selectors.case_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next stage."))
        return redirect("casework:case_detail", pk=case.pk)
    try:
        approval = services.case_transition(
            actor=request.user,
            case=case,
            to_stage=form.cleaned_data["to_stage"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        if approval is not None:
            messages.success(request, _("Sent to the supervisor for approval."))
        else:
            messages.success(request, _("The case moved on."))
    return redirect("casework:case_detail", pk=case.pk)


@capability_required(Cap.CASE_APPROVE)
@require_POST
def approval_decide(request, pk):
    approval = selectors.approval_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Approve or send back."))
        return redirect("casework:case_detail", pk=approval.case_id)
    try:
        services.approval_decide(
            actor=request.user,
            approval=approval,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        flash_service_errors(request, exc)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("casework:case_detail", pk=approval.case_id)


@capability_required(Cap.CASE_APPROVE)
def approval_list(request):
    return render(
        request,
        "casework/approval_list.html",
        {"approvals": selectors.approval_list(user=request.user, status=ApprovalStatus.PENDING)[:200]},
    )


@capability_required(Cap.DATA_EDIT)
@require_POST
def contact_add(request, pk):
    case = selectors.case_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("casework:case_detail", pk=case.pk)
    return render(
        request, "casework/case_detail.html", _detail_context(request, case, contact_form=form), status=400
    )


@capability_required(Cap.DATA_EDIT)
@require_POST
def case_transfer(request, pk):
    case = selectors.case_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    form = TransferForm(request.POST, stations=station_choices(user=request.user))
    if form.is_valid():
        try:
            services.case_transfer(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Case transferred."))
    else:
        messages.error(request, _("Choose the station to transfer to."))
    return redirect("casework:case_detail", pk=case.pk)


@capability_required(Cap.DATA_EDIT)
@require_POST
def case_refer(request, pk):
    case = selectors.case_get(user=request.user, pk=pk, capability=Cap.DATA_EDIT)
    form = ReferralForm(request.POST, stations=selectors.referral_targets(user=request.user, case=case))
    if form.is_valid():
        try:
            services.referral_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Referral sent."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}")
    return redirect("casework:case_detail", pk=case.pk)


@capability_required(Cap.DATA_VIEW)
def referral_inbox(request):
    return render(
        request,
        "casework/referral_inbox.html",
        {"referrals": selectors.referral_inbox(user=request.user)[:200]},
    )


@capability_required(Cap.DATA_EDIT)
@require_POST
def referral_answer(request, pk):
    referral = selectors.referral_get(user=request.user, pk=pk)
    form = ReferralAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.referral_respond(
                actor=request.user,
                referral=referral,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            flash_service_errors(request, exc)
        else:
            messages.success(request, _("Answer recorded."))
    else:
        messages.error(request, _("Accept or return the referral."))
    if referral.to_station_id is None:
        return redirect("casework:case_detail", pk=referral.case_id)
    return redirect("casework:referral_inbox")
