"""Which models the audit trail (django-auditlog) records, declared by each domain's AppConfig (``audited``).

Clear personal data never reaches the trail: an encrypted column (lib/pii.py ``EncryptedTextField``) holds the
clear value in Python, and auditlog would copy it into the change record (its ``mask_fields`` still shows half
of it); its lookup hash (``<column>_hash``) would let anyone holding the key test a guess. Both are left out of
every registered model here, so a new encrypted column is left out without anyone remembering to. What else a
model leaves out (the birth date, eight of the ID number's digits; columns rewritten by the system) it says.
"""

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured

from shegong.lib.pii import EncryptedTextField


def encrypted_columns(model) -> list[str]:
    """The model's encrypted columns and, where it has one, each one's lookup hash."""
    names = {field.name for field in model._meta.get_fields()}
    columns = [field.name for field in model._meta.get_fields() if isinstance(field, EncryptedTextField)]
    return [name for column in columns for name in (column, f"{column}_hash") if name in names]


def record_changes(*models, exclude=(), **options) -> None:
    """Record each change of every one of ``models`` in the audit trail, without its encrypted columns and
    their hashes, nor the fields named in ``exclude``; ``options`` are auditlog's (``m2m_fields``, ...)."""
    # lazy: it loads auditlog's models, which are not to be loaded before the apps.py modules that import this one
    from auditlog.registry import auditlog

    for model in models:
        auditlog.register(model, exclude_fields=[*encrypted_columns(model), *exclude], **options)


class AuditedAppConfig(AppConfig):
    """A domain whose models the audit trail records: ``audited`` names them (as its models module does), or is
    ``"__all__"`` for every model of the domain; ``audit_options`` gives a model the :func:`record_changes`
    options of its own (the fields it leaves out or alone records, its many-to-many fields).

    An apps.py imports this module rather than the class: Django takes the one AppConfig class an apps module
    holds for the app's, and would take neither of two."""

    audited: tuple[str, ...] | str = ()
    audit_options: dict[str, dict] = {}

    def ready(self) -> None:
        if self.audited == "__all__":
            names = [model.__name__ for model in self.get_models()]
        else:
            names = list(self.audited)
        unknown = set(self.audit_options) - set(names)
        if unknown:
            raise ImproperlyConfigured(
                f"{self.label}: audit_options of models not audited: {sorted(unknown)}"
            )
        for name in names:
            record_changes(self.get_model(name), **self.audit_options.get(name, {}))
