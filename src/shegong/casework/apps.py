from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "shegong.casework"
    label = "casework"
    verbose_name = _("Casework and services")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.casework import models

        for model in (
            models.Case,
            models.CaseContact,
            models.Approval,
            models.Referral,
            models.ServiceItem,
            models.ServiceRecord,
        ):
            auditlog.register(model)
