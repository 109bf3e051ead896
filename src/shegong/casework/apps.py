from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail


class CaseworkConfig(audit_trail.AuditedAppConfig):
    name = "shegong.casework"
    label = "casework"
    verbose_name = _("Casework and services")
    audited = ("Case", "CaseContact", "Approval", "Referral", "ServiceItem", "ServiceRecord")
