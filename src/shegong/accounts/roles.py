"""Roles and what each may do. This table is the one place that grants capabilities to roles.

等保 level 3 asks for three separate administrators (三员分立, GB/T 22239-2019 8.1.4.2): the system administrator
manages accounts; the security administrator manages the security settings, lockouts and key rotation; the audit
officer reads the audit trail. None of the three holds another's capability, and none sees personal or service
data (tests/test_roles.py checks both).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("System administrator")
    AUDITOR = "auditor", _("Audit officer")
    SECURITY = "security", _("Security administrator")
    ADMIN = "admin", _("Civil-affairs administrator")
    WORKER = "worker", _("Social worker")
    LEADER = "leader", _("Leader (read-only)")


class Cap:
    """Capability names. A view or selector asks for one of these, never for a role."""

    ACCOUNTS_MANAGE = "accounts.manage"
    AUDIT_VIEW = "audit.view"
    # See the security settings in force, release locked accounts and addresses, rotate the encryption keys.
    SECURITY_MANAGE = "security.manage"
    REGIONS_VIEW = "regions.view"
    REGIONS_EDIT = "regions.edit"
    DATA_VIEW = "data.view"
    DATA_EDIT = "data.edit"
    JOBS_USE = "jobs.use"
    # See ID numbers and phones in clear (each view is written to the audit trail); others see them masked.
    PII_VIEW = "pii.view"
    # Register and move facilities of the station network, define standards checklists, honours and targets.
    NETWORK_MANAGE = "network.manage"
    # Approve case plans and closures as the supervisor (督导) of casework (MZ/T 094-2017); never one's own.
    CASE_APPROVE = "case.approve"
    # Extend the code tables of casework: categories of people served, visit frequency rules, service catalogue.
    CASEWORK_CONFIGURE = "casework.configure"
    # Keep the community rules of a region: volunteer points rules, the redemption catalogue, matching-fund
    # rules of mutual-aid projects; and correct a volunteer's points (adjust, expire) with a reason.
    COMMUNITY_CONFIGURE = "community.configure"


CAPABILITIES: dict[str, frozenset[str]] = {
    Role.SYSADMIN: frozenset({Cap.ACCOUNTS_MANAGE, Cap.REGIONS_VIEW}),
    Role.AUDITOR: frozenset({Cap.AUDIT_VIEW}),
    Role.SECURITY: frozenset({Cap.SECURITY_MANAGE}),
    Role.ADMIN: frozenset(
        {
            Cap.REGIONS_VIEW,
            Cap.REGIONS_EDIT,
            Cap.DATA_VIEW,
            Cap.DATA_EDIT,
            Cap.JOBS_USE,
            Cap.NETWORK_MANAGE,
            Cap.PII_VIEW,
        }
        # Casework: the administrator supervises plans and closures and keeps the code tables.
        | {Cap.CASE_APPROVE, Cap.CASEWORK_CONFIGURE}
        # Community: the administrator keeps the points rules, the catalogue and the matching rules.
        | {Cap.COMMUNITY_CONFIGURE}
    ),
    Role.WORKER: frozenset({Cap.REGIONS_VIEW, Cap.DATA_VIEW, Cap.DATA_EDIT, Cap.JOBS_USE, Cap.PII_VIEW}),
    Role.LEADER: frozenset({Cap.REGIONS_VIEW, Cap.DATA_VIEW}),
}

# Roles whose accounts must log in with a second factor (when settings.TWO_FACTOR_REQUIRED).
TWO_FACTOR_ROLES = frozenset({Role.SYSADMIN, Role.AUDITOR, Role.SECURITY, Role.ADMIN})

# The three administrators kept apart (三员分立): no capability of one is granted to another.
SEPARATED_ROLES = (Role.SYSADMIN, Role.SECURITY, Role.AUDITOR)

# Roles that work within a region; the others are national (their jurisdiction is empty).
REGIONAL_ROLES = frozenset({Role.ADMIN, Role.WORKER, Role.LEADER})


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())
