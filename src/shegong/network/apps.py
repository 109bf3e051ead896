from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "shegong.network"
    label = "network"
    verbose_name = _("Station network")

    def ready(self) -> None:
        from shegong.lib.audit_trail import record_changes
        from shegong.network import models

        record_changes(
            models.Facility,
            models.StatusChange,
            models.FacilityPhoto,
            models.Checklist,
            models.ChecklistItem,
            models.Assessment,
            models.AssessmentResult,
            models.Honour,
            models.Target,
        )

        from shegong.network import imports  # noqa: F401  (registers the station import job)
