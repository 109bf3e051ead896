"""Every project URL, every role. Projects are bought by county 522301: its administrators and those above and the
prefecture's leader see them; county2 gets 404. The township worker's jurisdiction lies below the purchaser, so the
worker sees the list (empty) and 404 on a project. Only administrators (network.manage) change projects."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shegong.projects import services
from shegong.projects.tests.factories import make_project
from shegong.projects.workflow import PurchaseStatus
from shegong.testing import ADMINS, VIEWERS, Route, every

TODAY = timezone.localdate().isoformat()


def _see(roles, status=200, worker=404):
    out = {**{r: status for r in roles if r != "county2"}, "county2": 404}
    if "worker" in out:
        out["worker"] = worker
    return out


def _project(users):
    return {"pk": make_project().pk}


def _approved(users):
    return {"pk": make_project(status=PurchaseStatus.APPROVED).pk}


def _milestone(users):
    project = make_project(status=PurchaseStatus.APPROVED)
    milestone = services.milestone_add(
        actor=users["county"], project=project, name="中期", due_on=timezone.localdate()
    )
    return {"pk": milestone.pk}


def _document(users):
    project = make_project()
    document = services.document_add(
        actor=users["county"],
        project=project,
        title="合同",
        file=SimpleUploadedFile("contract.pdf", b"%PDF-1.4"),
    )
    return {"pk": document.pk}


ROUTES = {
    "projects:project_list": [Route(expect=every(VIEWERS))],
    "projects:project_create": [Route(expect=every(ADMINS))],
    "projects:project_detail": [Route(setup=_project, expect=_see(VIEWERS))],
    "projects:project_edit": [Route(setup=_project, expect=_see(ADMINS))],
    "projects:project_move": [Route.post({"to_status": "review"}, setup=_project, expect=_see(ADMINS, 302))],
    "projects:milestone_add": [
        Route.post({"name": "中期", "due_on": TODAY}, setup=_project, expect=_see(ADMINS, 302))
    ],
    "projects:milestone_meet": [Route.post({"met_on": TODAY}, setup=_milestone, expect=_see(ADMINS, 302))],
    "projects:payment_add": [
        Route.post({"amount": "1000", "paid_on": TODAY}, setup=_approved, expect=_see(ADMINS, 302))
    ],
    "projects:document_add": [Route.post({}, setup=_project, expect=_see(ADMINS, 400))],
    "projects:document_download": [Route(setup=_document, expect=_see(VIEWERS))],
    "api:projects": [Route(expect=every(VIEWERS))],
    "api:project": [Route(setup=_project, expect=_see(VIEWERS))],
}
