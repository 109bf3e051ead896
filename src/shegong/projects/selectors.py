"""Reads of service projects, always through the user's scope (lib/scoping.py)."""

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from shegong.accounts.roles import Cap
from shegong.lib.scoping import applying_to_user, get_scoped_or_404, in_region, scope_to_user
from shegong.projects.models import Milestone, Project, ProjectDocument
from shegong.projects.workflow import PurchaseStatus
from shegong.workforce.models import Agency


def project_search_q(term: str) -> Q:
    """The project's name, its purchaser or its undertaking agency."""
    term = term.strip()[:40]
    return Q(name__contains=term) | Q(purchaser__contains=term) | Q(agency__name__contains=term)


def project_list(
    *, user, region: str = "", status: str = "", search: str = "", capability: str = Cap.DATA_VIEW
) -> QuerySet:
    qs = scope_to_user(Project.objects.select_related("region", "agency"), user, capability)
    qs = in_region(qs, user, "region_id", region)
    if status in PurchaseStatus.values:
        qs = qs.filter(status=status)
    if search.strip():
        qs = qs.filter(project_search_q(search))
    return qs.annotate(paid=Sum("payments__amount")).order_by("-start_on", "-id")


def project_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Project:
    return get_scoped_or_404(Project.objects.select_related("region", "agency"), user, capability, pk=pk)


def project_paid(project: Project) -> Decimal:
    return project.payments.aggregate(n=Sum("amount"))["n"] or Decimal(0)


def milestone_get(*, user, pk, capability: str = Cap.DATA_VIEW) -> Milestone:
    return get_scoped_or_404(Milestone.objects.select_related("project"), user, capability, pk=pk)


def document_get(*, user, pk) -> ProjectDocument:
    return get_scoped_or_404(ProjectDocument.objects.select_related("project"), user, pk=pk)


def agency_choices(*, user) -> QuerySet:
    """Agencies registered in the user's jurisdiction or in the regions above it (a prefecture's agency runs
    stations in its counties)."""
    return applying_to_user(Agency.objects.all(), user).order_by("name")
