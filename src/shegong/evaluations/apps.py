from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "shegong.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from shegong.evaluations import models
        from shegong.lib.audit_trail import record_changes

        record_changes(
            models.IndicatorSystem,
            models.Dimension,
            models.Indicator,
            models.Round,
            models.Evaluation,
            models.Score,
            models.Rectification,
        )
