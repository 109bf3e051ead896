"""Excel templates, uploads (run as background jobs) and exports of community records."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shegong.accounts.roles import Cap
from shegong.audit.services import Event, audit_event
from shegong.community import exports, imports, selectors
from shegong.community.forms import UploadForm
from shegong.community.views import parse_date
from shegong.jobs.services import job_start
from shegong.lib.decorators import capability_required
from shegong.lib.excel import XLSX_MIME
from shegong.lib.http import client_ip

KINDS = {
    "volunteers": "community.volunteer_import",
    "hours": "community.hours_import",
    "donations": "community.donation_import",
}
EXPORT_LIMIT = 20000


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@capability_required(Cap.DATA_EDIT)
def template_download(request, kind: str):
    if kind not in KINDS:
        raise Http404
    return _xlsx(imports.template(kind), f"{kind}-template.xlsx")


@capability_required(Cap.DATA_EDIT)
@require_http_methods(["GET", "POST"])
def import_page(request):
    if not request.user.can(Cap.JOBS_USE):
        raise PermissionDenied
    kind = request.POST.get("kind") or request.GET.get("kind") or "volunteers"
    kind = kind if kind in KINDS else "volunteers"
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(
            actor=request.user,
            kind=KINDS[kind],
            title=_("%(what)s import: %(name)s") % {"what": imports.TITLES[kind], "name": upload.name},
            input_name=upload.name,
            input_file=upload,
            remote_addr=client_ip(request),
        )
        return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "community/import.html",
        {
            "form": form,
            "kind": kind,
            "kinds": [(k, imports.TITLES[k]) for k in KINDS],
            "note": imports.NOTES[kind],
        },
    )


@never_cache
@capability_required(Cap.DATA_VIEW)
def export(request, kind: str):
    """Records as Excel, filtered as the list page was; ID numbers and phones masked. Audited."""
    g = request.GET
    region = g.get("region", "").strip()[:12]
    since, until = parse_date(g.get("since", "")), parse_date(g.get("until", ""))
    user = request.user
    if kind == "volunteers":
        rows = selectors.volunteer_list(
            user=user, region=region, search=g.get("q", "")[:40], status=g.get("status", "")
        )
        build = exports.export_volunteers
    elif kind == "activities":
        rows = selectors.activity_list(
            user=user, region=region, kind=g.get("kind", ""), since=since, until=until
        )
        build = exports.export_activities
    elif kind == "hours":
        rows = selectors.signup_list(user=user, region=region, status="confirmed", since=since, until=until)
        build = exports.export_hours
    elif kind == "donations":
        rows = selectors.donation_list(user=user, region=region, since=since, until=until)
        build = exports.export_donations
    else:
        raise Http404
    rows = list(rows[:EXPORT_LIMIT])
    audit_event(event=Event.EXPORT, request=request, detail={"what": f"community.{kind}", "rows": len(rows)})
    return _xlsx(build(rows), f"{kind}.xlsx")
