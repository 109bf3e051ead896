from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail

# What the audit trail records of an account: never its password hash, nor when it last logged in.
USER_AUDIT_FIELDS = ["username", "full_name", "role", "jurisdiction", "is_active", "must_change_password"]


class AccountsConfig(audit_trail.AuditedAppConfig):
    name = "shegong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    audited = "__all__"
    audit_options = {"User": {"include_fields": USER_AUDIT_FIELDS}}
