"""GET /api/v1/evaluations/ and /api/v1/evaluations/<id>/ (with the score sheet and rectification items)."""

from rest_framework import serializers

from shegong.api.endpoints import detail_endpoint, list_endpoint
from shegong.api.serializers import Shown
from shegong.evaluations import selectors
from shegong.evaluations.lists import EVALUATIONS
from shegong.evaluations.models import Evaluation


class EvaluationSerializer(Shown):
    system = serializers.CharField(source="system.name")
    subject = serializers.CharField(source="subject_name")
    station = serializers.IntegerField(source="facility_id", allow_null=True)

    class Meta:
        model = Evaluation
        fields = ("id", "system", "subject", "station", "project", "round", "region", "status", "full_points")
        fields += ("total", "grade", "finalised_on")


class EvaluationDetailSerializer(EvaluationSerializer):
    scores = serializers.SerializerMethodField()
    rectifications = serializers.SerializerMethodField()

    class Meta(EvaluationSerializer.Meta):
        fields = (*EvaluationSerializer.Meta.fields, "findings", "shortcomings", "scores", "rectifications")

    def get_scores(self, obj) -> list[dict]:
        return [
            {
                "dimension": group["dimension"].name,
                "indicator": score.indicator.name,
                "points": score.indicator.points,
                "self_score": score.self_score,
                "score": score.score,
                "evidence": score.evidence,
            }
            for group in selectors.evaluation_scores(user=self.context["user"], evaluation=obj)
            for score in group["rows"]
        ]

    def get_rectifications(self, obj) -> list[dict]:
        return [
            {"text": r.text, "due_on": r.due_on, "status": r.status, "closed_on": r.closed_on}
            for r in obj.rectifications.all()
        ]


evaluation_list = list_endpoint(
    EVALUATIONS, EvaluationSerializer, "Evaluations of stations and projects in your jurisdiction."
)


evaluation_detail = detail_endpoint(selectors.evaluation_get, EvaluationDetailSerializer)
