from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "shegong.workbench"
    label = "workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        from shegong.lib.audit_trail import record_changes
        from shegong.workbench import models

        record_changes(models.SupervisionNotice)
