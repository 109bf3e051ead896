from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "shegong.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.evaluations import models

        for model in (
            models.IndicatorSystem,
            models.Dimension,
            models.Indicator,
            models.Round,
            models.Evaluation,
            models.Score,
            models.Rectification,
        ):
            auditlog.register(model)
