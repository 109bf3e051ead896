"""Bulletin pages: the list with the form that issues one (as a background job), the printable page as issued,
and its Excel, PDF and Word files (the Word document is the one an office edits before sending)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.accounts.roles import Cap
from shegong.audit.services import Event, audit_event
from shegong.bulletins import selectors
from shegong.bulletins.jobs import KIND
from shegong.bulletins.models import Bulletin
from shegong.bulletins.services import check_issue
from shegong.jobs.services import job_start
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME
from shegong.lib.http import client_ip
from shegong.lib.views import record_view
from shegong.regions.selectors import region_find


@capability_required(Cap.DATA_VIEW)
def bulletin_list(request):
    region = request.GET.get("region", "").strip()[:12]
    month = selectors.parse_month(request.GET.get("month", ""))
    return render(
        request,
        "bulletins/bulletin_list.html",
        {
            "bulletins": selectors.bulletin_list(user=request.user, region=region, month=month)[:200],
            "region": region,
            "month": request.GET.get("month", "")[:7],
            "can_issue": request.user.can(Cap.NETWORK_MANAGE) and request.user.can(Cap.JOBS_USE),
            "default_region": request.user.jurisdiction_code,
        },
    )


@capability_required(Cap.NETWORK_MANAGE)
@require_POST
def bulletin_issue(request):
    if not request.user.can(Cap.JOBS_USE):
        raise PermissionDenied
    code = request.POST.get("region", "").strip()[:12]
    month = selectors.parse_month(request.POST.get("month", ""))
    region = region_find(user=request.user, code=code, capability=Cap.NETWORK_MANAGE)
    try:
        if month is None:
            raise ValidationError(_("Give the month as 2025-03."))
        check_issue(actor=request.user, region=region, month=month)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("bulletins:bulletin_list")
    job = job_start(
        actor=request.user,
        kind=KIND,
        title=_("Monthly bulletin of %(region)s, %(month)s")
        % {"region": region.name, "month": f"{month:%Y-%m}"},
        params={"region": region.code, "month": month.isoformat()},
        remote_addr=client_ip(request),
    )
    return redirect("jobs:detail", job_id=job.pk)


@record_view(Cap.DATA_VIEW, selectors.bulletin_get)
def bulletin_detail(request, bulletin):
    editions = selectors.bulletin_list(user=request.user).filter(region=bulletin.region, month=bulletin.month)
    return render(
        request,
        "bulletins/bulletin_detail.html",
        # The page is the HTML rendered (with autoescaping) when the bulletin was issued, shown unchanged.
        {"bulletin": bulletin, "report": mark_safe(bulletin.html), "editions": editions},
    )


def _download(request, bulletin: Bulletin, data: bytes, suffix: str, content_type: str) -> HttpResponse:
    audit_event(event=Event.EXPORT, request=request, obj=bulletin, detail={"format": suffix})
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename={bulletin.file_stem}.{suffix}"
    return response


@record_view(Cap.DATA_VIEW, selectors.bulletin_get)
def bulletin_xlsx(request, bulletin):
    return _download(request, bulletin, bulletin.xlsx, "xlsx", XLSX_MIME)


@record_view(Cap.DATA_VIEW, selectors.bulletin_get)
def bulletin_pdf(request, bulletin):
    return _download(request, bulletin, bulletin.pdf, "pdf", "application/pdf")


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@record_view(Cap.DATA_VIEW, selectors.bulletin_get)
def bulletin_docx(request, bulletin):
    if not bulletin.docx:
        raise Http404
    return _download(request, bulletin, bulletin.docx, "docx", DOCX_MIME)
