from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail


class WorkbenchConfig(audit_trail.AuditedAppConfig):
    name = "shegong.workbench"
    label = "workbench"
    verbose_name = _("Workbench")
    audited = "__all__"
