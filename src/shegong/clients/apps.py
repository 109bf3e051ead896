from django.utils.translation import gettext_lazy as _

from shegong.lib import audit_trail

# Beside the encrypted columns and their hashes (lib/audit_trail.py), the birth date, the last four digits and
# the spellings of the name that search reads are left out of a person's change records.
PERSON_AUDIT_EXCLUDE = [
    "birth_date",  # eight of the ID number's digits, left out as for workers and volunteers
    "id_number_last4",
    "phone_last4",
    "pinyin",
    "initials",
    "updated_at",
    # derived visit status (clients/visiting.py), rewritten by UPDATE, not by the person's editors
    "last_visit_on",
    "last_visit_next_due",
    "visit_interval",
    "visit_due_on",  # computed by the database from the three above
]


class ClientsConfig(audit_trail.AuditedAppConfig):
    name = "shegong.clients"
    label = "clients"
    verbose_name = _("People served")
    audited = ("Person", "HouseholdMember", "Visit", "VisitRule", "Category")
    audit_options = {"Person": {"exclude": PERSON_AUDIT_EXCLUDE, "m2m_fields": {"categories"}}}

    def ready(self) -> None:
        super().ready()

        from shegong.clients import (
            imports,  # noqa: F401  (registers the import, export and roster jobs)
            ledger_export,  # noqa: F401  (registers the visit ledger export)
        )
