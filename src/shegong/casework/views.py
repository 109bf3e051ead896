"""Case pages. Every stage change goes through services.case_transition / approval_decide, which read the one
transition table (workflow.py); the page only offers the moves the table allows and shows the refusals."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

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
from shegong.lib.forms import form_done, form_page, post_action, to_page
from shegong.lib.views import POST, Record, record_view
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
    return form_page(
        request,
        CaseOpenForm(request.POST or None, stations=stations),
        "casework/case_form.html",
        {"person": person, "stations": stations},
        run=lambda data: services.case_open(actor=request.user, person=person, **data),
        success=_("Case opened."),
        then=_to_case,
    )


_to_case = to_page("casework:case_detail")


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
        "referral_form": ReferralForm(stations=targets, case=case),
        "needs": [(label, case.needs.get(key, "")) for key, label in NEED_DOMAINS if case.needs.get(key)],
        "decision_form": DecisionForm(),
        "stages": Stage.choices,
    }


def _case_page(request, case, *, status: int = 200, **forms):
    return render(
        request, "casework/case_detail.html", _detail_context(request, case, **forms), status=status
    )


@record_view(Cap.DATA_VIEW, selectors.case_get)
def case_detail(request, case):
    return _case_page(request, case)


CASE = Record(Cap.DATA_EDIT, selectors.case_get, then=_to_case, page=_case_page)


@record_view(Cap.DATA_EDIT, selectors.case_get, POST)
def case_record(request, case):
    """Save the current stage's record (assessment, plan, evaluation …)."""
    form = stage_form(case, request.POST)
    if form is None:
        raise Http404
    done = form_done(
        request,
        form,
        lambda _data: services.case_update(actor=request.user, case=case, **service_fields(form)),
        success=_("Saved."),
        then=_to_case(case),
    )
    if done:
        return done
    case.refresh_from_db()
    return _case_page(request, case, status=400, record_form=form)


case_move = CASE.post(
    services.case_transition,
    MoveForm,
    success=lambda approval: (
        _("Sent to the supervisor for approval.") if approval is not None else _("The case moved on.")
    ),
    invalid=gettext_lazy("Choose the next stage."),
)


@record_view(Cap.CASE_APPROVE, selectors.approval_get, POST)
def approval_decide(request, approval):
    return post_action(
        request,
        DecisionForm(request.POST),
        lambda data: services.approval_decide(
            actor=request.user, approval=approval, approve=data["decision"] == "approve", note=data["note"]
        ),
        success=_("Decision recorded."),
        then=("casework:case_detail", approval.case_id),
        invalid=_("Approve or send back."),
    )


@capability_required(Cap.CASE_APPROVE)
def approval_list(request):
    return render(
        request,
        "casework/approval_list.html",
        {"approvals": selectors.approval_list(user=request.user, status=ApprovalStatus.PENDING)[:200]},
    )


contact_add = CASE.form(
    services.contact_add, ContactForm, "contact_form", success=gettext_lazy("Contact recorded.")
)
case_transfer = CASE.post(
    services.case_transfer,
    lambda request, _case: TransferForm(request.POST, stations=station_choices(user=request.user)),
    success=gettext_lazy("Case transferred."),
    invalid=gettext_lazy("Choose the station to transfer to."),
)
case_refer = CASE.post(
    services.referral_create,
    lambda request, case: ReferralForm(
        request.POST, stations=selectors.referral_targets(user=request.user, case=case), case=case
    ),
    success=gettext_lazy("Referral sent."),
)


@capability_required(Cap.DATA_VIEW)
def referral_inbox(request):
    return render(
        request,
        "casework/referral_inbox.html",
        {"referrals": selectors.referral_inbox(user=request.user)[:200]},
    )


@record_view(Cap.DATA_EDIT, selectors.referral_get, POST)
def referral_answer(request, referral):
    return post_action(
        request,
        ReferralAnswerForm(request.POST),
        lambda data: services.referral_respond(
            actor=request.user, referral=referral, accept=data["decision"] == "accept", note=data["note"]
        ),
        success=_("Answer recorded."),
        # A referral to a person (no station) is answered from the case; one to a station from the inbox.
        then=lambda _result: (
            ("casework:case_detail", referral.case_id)
            if referral.to_station_id is None
            else "casework:referral_inbox"
        ),
        invalid=_("Accept or return the referral."),
    )
