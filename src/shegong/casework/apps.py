from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "shegong.casework"
    label = "casework"
    verbose_name = _("Casework and services")

    def ready(self) -> None:
        from shegong.casework import models
        from shegong.lib.audit_trail import record_changes

        record_changes(
            models.Case,
            models.CaseContact,
            models.Approval,
            models.Referral,
            models.ServiceItem,
            models.ServiceRecord,
        )
