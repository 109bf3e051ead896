from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Clear personal data never reaches the audit trail: the encrypted columns and their hashes are left out of
# the change records (the ciphertext would change on every save anyway).
PERSON_AUDIT_EXCLUDE = [
    "id_number",
    "id_number_hash",
    "id_number_last4",
    "phone",
    "phone_hash",
    "phone_last4",
    "guardian_phone",
    "pinyin",
    "initials",
    "updated_at",
    # derived visit status (clients/visiting.py), rewritten by UPDATE, not by the person's editors
    "last_visit_on",
    "last_visit_next_due",
    "visit_interval",
    "visit_due_on",  # computed by the database from the three above
]


class ClientsConfig(AppConfig):
    name = "shegong.clients"
    label = "clients"
    verbose_name = _("People served")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from shegong.clients import models

        auditlog.register(models.Person, exclude_fields=PERSON_AUDIT_EXCLUDE, m2m_fields={"categories"})
        auditlog.register(models.HouseholdMember)
        auditlog.register(models.Visit)
        auditlog.register(models.VisitRule)
        auditlog.register(models.Category)

        from shegong.clients import (
            imports,  # noqa: F401  (registers the import, export and roster jobs)
            ledger_export,  # noqa: F401  (registers the visit ledger export)
        )
