"""GET /api/v1/evaluations/ and /api/v1/evaluations/<id>/ (with the score sheet and rectification items)."""

from rest_framework import serializers

from shegong.api.endpoints import detail_endpoint, list_endpoint
from shegong.evaluations import selectors
from shegong.evaluations.lists import EVALUATIONS


class EvaluationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    system = serializers.CharField(source="system.name")
    subject = serializers.CharField(source="subject_name")
    station = serializers.IntegerField(source="facility_id", allow_null=True)
    project = serializers.IntegerField(source="project_id", allow_null=True)
    round = serializers.IntegerField(source="round_id", allow_null=True)
    region = serializers.CharField(source="region_id")
    status = serializers.CharField()
    full_points = serializers.DecimalField(max_digits=7, decimal_places=1)
    total = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    grade = serializers.IntegerField(allow_null=True)
    finalised_on = serializers.DateField(allow_null=True)


class EvaluationDetailSerializer(EvaluationSerializer):
    findings = serializers.CharField()
    shortcomings = serializers.CharField()
    scores = serializers.SerializerMethodField()
    rectifications = serializers.SerializerMethodField()

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
