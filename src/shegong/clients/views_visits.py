"""A visit in detail, its photos (served privately), follow-up tasks, the checklist and its figures, the
printed forms (一人一档, 走访记录表) and the drafts that keep what a worker typed (static/shegong/drafts.js)."""

import json

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shegong.accounts.middleware import session_seconds_left
from shegong.accounts.roles import Cap
from shegong.audit.services import Event, audit_event
from shegong.clients import printing, selectors, services
from shegong.clients.forms import ChecklistItemForm
from shegong.clients.models import Topic
from shegong.lib.asof import date_or_none
from shegong.lib.decorators import capability_required, login_required
from shegong.lib.forms import flash_action
from shegong.lib.views import POST, configure_page, record_view


@record_view(Cap.DATA_VIEW, selectors.visit_get)
def visit_detail(request, visit):
    audit_event(event=Event.VIEW, request=request, obj=visit.person, detail={"visit": visit.pk})
    return render(
        request,
        "clients/visit_detail.html",
        {
            "visit": visit,
            "person": visit.person,
            "answers": visit.answers.all(),
            "photos": visit.photos.all(),
            "followups": visit.followups.all(),
            "can_edit": request.user.can(Cap.DATA_EDIT),
        },
    )


@record_view(Cap.DATA_VIEW, selectors.visit_photo_get)
def visit_photo(request, photo):
    """One photo, streamed from private storage to a user who may see the person's file (404 otherwise);
    each view is written to the audit trail as a view of personal data."""
    audit_event(
        event=Event.VIEW,
        request=request,
        obj=photo.visit.person,
        detail={"visit": photo.visit_id, "photo": photo.pk},
    )
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Follow-up tasks -------------------------------------------------------------------------------


@capability_required(Cap.DATA_VIEW)
def followup_list(request):
    """The user's open follow-up tasks (the workbench shows the same through clients/_followups.html)."""
    return render(
        request,
        "clients/followup_list.html",
        {"followups": selectors.followup_list(user=request.user), "today": timezone.localdate()},
    )


@record_view(Cap.DATA_EDIT, selectors.followup_get, POST)
def followup_done(request, followup):
    flash_action(
        request,
        services.followup_done,
        success=_("Task marked done."),
        actor=request.user,
        followup=followup,
        note=request.POST.get("note", ""),
    )
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("clients:followup_list")


# --- The checklist and its figures ----------------------------------------------------------------


def _checklist_form(request):
    return ChecklistItemForm(request.POST or None, categories=selectors.category_list(user=request.user))


checklist = configure_page(
    Cap.CASEWORK_CONFIGURE,
    _checklist_form,
    services.checklist_item_create,
    "clients/checklist.html",
    lambda request: {"items": selectors.checklist_items(user=request.user)},
    success=gettext_lazy("Checklist item added."),
    then="clients:checklist",
)


@capability_required(Cap.DATA_VIEW)
def checklist_figures(request):
    """What the visits found, per checklist item and per region one level down (e.g. unsafe housing per
    township): people counted once per item in the period."""
    since, until = date_or_none(request.GET.get("since", "")), date_or_none(request.GET.get("until", ""))
    area, items, rows = selectors.checklist_concerns(
        user=request.user, region=request.GET.get("region", "").strip()[:12], since=since, until=until
    )
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(items))]
    return render(
        request,
        "clients/checklist_figures.html",
        {
            "area": area,
            "items": items,
            "rows": rows,
            "totals": totals,
            "since": since,
            "until": until,
            "topics": dict(Topic.choices),
        },
    )


# --- Printed forms --------------------------------------------------------------------------------


def _pdf(request, data: bytes, name: str, person, detail: dict) -> HttpResponse:
    audit_event(event=Event.EXPORT, request=request, obj=person, detail={"print": name, **detail})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@record_view(Cap.DATA_VIEW, selectors.person_get)
def person_pdf(request, person):
    """The person's file (一人一档) as PDF, masked as on screen, with signature lines."""
    data = printing.person_file_pdf(person=person, user=request.user)
    return _pdf(request, data, f"person-{person.pk}.pdf", person, {"person": person.pk})


@record_view(Cap.DATA_VIEW, selectors.visit_get)
def visit_pdf(request, visit):
    """The visit record (走访记录表) as PDF, with the visitor's and the person's signature lines."""
    data = printing.visit_record_pdf(visit=visit, user=request.user)
    return _pdf(request, data, f"visit-{visit.pk}.pdf", visit.person, {"visit": visit.pk})


# --- Drafts and the session -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST", "DELETE"])
def drafts(request):
    """The user's own draft of one form (``url``): GET reads it, POST keeps it (``data``: the form's values
    as JSON), DELETE drops it. Only the user's own drafts, whatever the role."""
    if request.method == "GET":
        url = request.GET.get("url", "")
        draft = selectors.draft_list(user=request.user).filter(url=url).first()
        if draft is None:
            return JsonResponse({"draft": None})
        return JsonResponse({"draft": {"data": draft.data, "saved_at": draft.updated_at.isoformat()}})
    if request.method == "DELETE":
        url = request.GET.get("url", "")
        services.draft_delete(actor=request.user, url=url)
        return JsonResponse({"deleted": True})
    url, data = request.POST.get("url", ""), request.POST.get("data", "")
    try:
        json.loads(data)
        services.draft_save(actor=request.user, url=url, data=data, title=request.POST.get("title", ""))
    except (ValueError, ValidationError) as exc:
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else _("Not a draft.")
        return JsonResponse({"error": {"message": message}}, status=400)
    return JsonResponse({"saved": True, "session_seconds": session_seconds_left(request)})


@login_required
@require_POST
def keepalive(request):
    """ "Stay logged in": a request that saves the session renews it (accounts.middleware
    SessionRenewalMiddleware); this one does nothing else and says how long the session now lasts."""
    request.session["keepalive"] = timezone.now().isoformat()
    return JsonResponse({"session_seconds": session_seconds_left(request)})


# --- The person picker ----------------------------------------------------------------------------

PICK_LIMIT = 10


@capability_required(Cap.DATA_EDIT)
def person_pick(request):
    """People on file the user may work on, matching a name, pinyin initials or the last 4 digits of the ID
    number (clients/selectors.py person_search_q), as JSON for the picker: id, name, village, masked ID tail."""
    term = request.GET.get("q", "").strip()[:40]
    if not term:
        return JsonResponse({"results": []})
    qs = selectors.person_list(user=request.user, search=term, capability=Cap.DATA_EDIT)
    results = [
        {
            "id": person.pk,
            "name": person.name,
            "village": person.region.name,
            "id_tail": f"…{person.id_number_last4}" if person.id_number_last4 else "",
        }
        for person in qs[:PICK_LIMIT]
    ]
    return JsonResponse({"results": results})
