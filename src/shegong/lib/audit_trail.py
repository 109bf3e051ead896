"""Which models the audit trail (django-auditlog) records, declared in each domain's ``AppConfig.ready()``.

Clear personal data never reaches the trail: an encrypted column (lib/pii.py ``EncryptedTextField``) holds the
clear value in Python, and auditlog would copy it into the change record (its ``mask_fields`` still shows half
of it); its lookup hash (``<column>_hash``) would let anyone holding the key test a guess. Both are left out of
every registered model here, so a new encrypted column is left out without anyone remembering to. What else a
model leaves out (the birth date, eight of the ID number's digits; columns rewritten by the system) it says.
"""

from auditlog.registry import auditlog

from shegong.lib.pii import EncryptedTextField


def encrypted_columns(model) -> list[str]:
    """The model's encrypted columns and, where it has one, each one's lookup hash."""
    names = {field.name for field in model._meta.get_fields()}
    columns = [field.name for field in model._meta.get_fields() if isinstance(field, EncryptedTextField)]
    return [name for column in columns for name in (column, f"{column}_hash") if name in names]


def record_changes(*models, exclude=(), **options) -> None:
    """Record each change of every one of ``models`` in the audit trail, without its encrypted columns and
    their hashes, nor the fields named in ``exclude``; ``options`` are auditlog's (``m2m_fields``, ...)."""
    for model in models:
        auditlog.register(model, exclude_fields=[*encrypted_columns(model), *exclude], **options)
