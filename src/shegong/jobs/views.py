from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from shegong.accounts.roles import Cap
from shegong.jobs.recovery import recover_lapsed_jobs
from shegong.jobs.selectors import job_get, job_list, job_output_pieces
from shegong.lib.decorators import capability_required


@capability_required(Cap.JOBS_USE)
def job_list_view(request):
    recover_lapsed_jobs()  # a job whose worker died says so here rather than "running" forever
    return render(request, "jobs/list.html", {"jobs": job_list(user=request.user)[:100]})


@capability_required(Cap.JOBS_USE)
def job_detail(request, job_id):
    recover_lapsed_jobs()
    job = job_get(user=request.user, job_id=job_id)
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/detail.html"
    return render(request, template, {"job": job})


@capability_required(Cap.JOBS_USE)
def job_download(request, job_id):
    job = job_get(user=request.user, job_id=job_id)
    if not job.output_name:
        raise Http404
    response = StreamingHttpResponse(job_output_pieces(job), content_type="application/octet-stream")
    # RFC 6266 with a UTF-8 fallback: output names may be Chinese (人才统计-522301.xlsx).
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=job.output_name)
    return response
