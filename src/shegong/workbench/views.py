import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap, Role
from shegong.clients import ledger
from shegong.lib.decorators import capability_required, login_required
from shegong.lib.forms import form_done, form_page, to_page
from shegong.lib.views import FORM, record_view
from shegong.workbench import hooks, selectors, services
from shegong.workbench.forms import AnswerForm, NoticeForm
from shegong.workbench.models import NoticeStatus

PAGE_SIZE = 50


def workbench_context(user) -> dict | None:
    """The home page's workbench for the user's role; None for roles without service data (the three
    administrators of 三员分立 keep the plain home page)."""
    if not user.can(Cap.DATA_VIEW):
        return None
    if user.role == Role.WORKER:
        board = selectors.worker_board(user=user)
        slots = [slot for slot in (hook(user) for hook in hooks.WORKER_SLOTS) if slot]
        return {"board": board, "kind": "worker", "slots": slots}
    if user.can(Cap.DATA_EDIT):
        board = selectors.admin_board(user=user)
        slots = [slot for slot in (hook(user) for hook in hooks.ADMIN_SLOTS) if slot]
        return {"board": board, "kind": "admin", "slots": slots}
    return {"board": selectors.leader_board(user=user), "kind": "leader", "slots": []}


@login_required
def me(request):
    """我的: the account, its jobs and its settings (the fifth place of the phone's bottom bar)."""
    return render(request, "workbench/me.html", {})


@capability_required(Cap.DATA_VIEW)
def notice_list(request):
    status = request.GET.get("status", "")
    qs = selectors.notice_list(user=request.user, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "workbench/notice_list.html", {"page": page, "status": status, "query": query.urlencode()}
    )


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def notice_create(request, station_pk: int):
    station = selectors.station_for_notice(user=request.user, pk=station_pk)
    if not services.may_send(request.user, station):
        raise PermissionDenied
    overdue = ledger.overdue_count(user=request.user, region=station.region_id)
    initial = {
        "subject": _("Overdue visits at %(station)s") % {"station": station.name},
        "body": _(
            "%(n)d people served by your station are overdue for a visit. Visit them and answer with what was done."
        )
        % {"n": overdue},
        "due_on": timezone.localdate() + dt.timedelta(days=7),
    }
    return form_page(
        request,
        NoticeForm(request.POST or None, initial=initial),
        "workbench/notice_form.html",
        {"station": station, "overdue": overdue},
        run=lambda data: services.notice_send(
            actor=request.user, station=station, overdue_when_sent=overdue, **data
        ),
        success=_("The supervision notice was sent to %(station)s.") % {"station": station.name},
        then=to_page("workbench:notice_detail"),
    )


@record_view(Cap.DATA_VIEW, selectors.notice_get, FORM)
def notice_detail(request, notice):
    may_answer = notice.status == NoticeStatus.OPEN and services.may_answer(request.user, notice)
    form = AnswerForm(request.POST or None) if may_answer else None
    done = form_done(
        request,
        form,
        lambda data: services.notice_answer(actor=request.user, notice=notice, **data),
        success=_("Your answer was sent."),
        then=("workbench:notice_detail", notice.pk),
    )
    if done:
        return done
    overdue_now = (
        ledger.overdue_count(user=request.user, region=notice.station.region_id)
        if notice.station.region_id.startswith(request.user.jurisdiction_code)
        else None
    )
    return render(
        request,
        "workbench/notice_detail.html",
        {"notice": notice, "form": form, "overdue_now": overdue_now},
    )
