from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail


class EvaluationsConfig(audit_trail.AuditedAppConfig):
    name = "shegong.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")
    audited = "__all__"
