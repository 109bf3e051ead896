"""GET /api/v1/projects/ and /api/v1/projects/<id>/ (with targets against live actuals)."""

from rest_framework import serializers

from shegong.api.endpoints import detail_endpoint, list_endpoint
from shegong.api.serializers import Shown
from shegong.projects import selectors
from shegong.projects.actuals import targets_against_actuals
from shegong.projects.lists import PROJECTS
from shegong.projects.models import Project


class ProjectSerializer(Shown):
    paid = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)

    class Meta:
        model = Project
        fields = ("id", "name", "region", "purchaser", "funding_source", "amount", "paid", "agency")
        fields += ("start_on", "end_on", "status", "status_since")


class ProjectDetailSerializer(ProjectSerializer):
    stations = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()
    payments = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = (*ProjectSerializer.Meta.fields, "stations", "milestones", "payments", "targets")

    def get_stations(self, obj) -> list[dict]:
        return [{"id": s.pk, "name": s.name, "region": s.region_id} for s in obj.stations.all()]

    def get_milestones(self, obj) -> list[dict]:
        return [
            {"id": m.pk, "name": m.name, "due_on": m.due_on, "amount": m.amount, "met_on": m.met_on}
            for m in obj.milestones.all()
        ]

    def get_payments(self, obj) -> list[dict]:
        return [
            {"amount": p.amount, "paid_on": p.paid_on, "milestone": p.milestone_id}
            for p in obj.payments.all()
        ]

    def get_targets(self, obj) -> list[dict]:
        return [
            {"indicator": r.indicator, "target": r.target, "actual": r.actual, "percent": r.percent}
            for r in targets_against_actuals(user=self.context["user"], project=obj)
        ]


project_list = list_endpoint(
    PROJECTS, ProjectSerializer, "Government-purchased service projects of your jurisdiction."
)


def _project_paid_get(*, user, pk):
    """A project of the user's jurisdiction with what has been paid on it so far (``paid``)."""
    project = selectors.project_get(user=user, pk=pk)
    project.paid = selectors.project_paid(project)
    return project


project_detail = detail_endpoint(
    _project_paid_get,
    ProjectDetailSerializer,
    "One project with its stations, milestones, payments, and targets against actuals counted live.",
)
