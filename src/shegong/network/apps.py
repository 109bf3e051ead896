from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "shegong.network"
    label = "network"
    verbose_name = _("Station network")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.network import models

        for model in (
            models.Facility,
            models.StatusChange,
            models.FacilityPhoto,
            models.Checklist,
            models.ChecklistItem,
            models.Assessment,
            models.AssessmentResult,
            models.Honour,
            models.Target,
        ):
            auditlog.register(model)

        from shegong.network import imports  # noqa: F401  (registers the station import job)
