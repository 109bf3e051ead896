from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail


class HotlineConfig(audit_trail.AuditedAppConfig):
    name = "shegong.hotline"
    label = "hotline"
    verbose_name = _("Service hotline")
    audited = "__all__"
    # The caller's phone is stored encrypted; beside its ciphertext and hash, its last four stay out too.
    audit_options = {"Ticket": {"exclude": ["caller_phone_last4"]}}
