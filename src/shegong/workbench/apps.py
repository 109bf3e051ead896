from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "shegong.workbench"
    label = "workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.workbench import models

        auditlog.register(models.SupervisionNotice)
