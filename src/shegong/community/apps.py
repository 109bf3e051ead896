from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail


class CommunityConfig(audit_trail.AuditedAppConfig):
    name = "shegong.community"
    label = "community"
    verbose_name = _("Community")
    audited = "__all__"
    # As for workers: the birth date is eight of the ID number's digits (the encrypted columns are left out
    # of every model, lib/audit_trail.py). A balance changes with every ledger line, which is itself recorded.
    audit_options = {
        "Volunteer": {"exclude": ["birth_date", "points_balance", "created_at", "updated_at"]},
        "Team": {"m2m_fields": {"members"}},
        "WorkGroup": {"m2m_fields": {"members"}},
        "CharityFund": {"exclude": ["balance"]},
    }
