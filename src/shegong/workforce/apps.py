from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail


class WorkforceConfig(audit_trail.AuditedAppConfig):
    name = "shegong.workforce"
    label = "workforce"
    verbose_name = _("Workforce")
    audited = "__all__"
    # Beside the encrypted columns and their hashes (lib/audit_trail.py), the birth date is left out: it is
    # eight of the ID number's digits. The last four digits record that a number changed without saying
    # what it is, as the masked display does.
    audit_options = {"Worker": {"exclude": ["birth_date", "created_at", "updated_at"]}}
