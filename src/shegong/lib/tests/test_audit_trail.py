"""lib/audit_trail.py: no registered model's change records hold an encrypted column or its lookup hash."""

import pytest
from auditlog.registry import auditlog
from django.core.exceptions import ImproperlyConfigured

from shegong import hotline
from shegong.clients.models import Person
from shegong.lib.audit_trail import AuditedAppConfig, encrypted_columns


def recorded_fields(model) -> set[str]:
    tracked = auditlog.get_model_fields(model)
    names = {field.name for field in model._meta.concrete_fields}
    if tracked["include_fields"]:
        names &= set(tracked["include_fields"])
    return names - set(tracked["exclude_fields"])


def test_no_registered_model_records_an_encrypted_column_or_its_hash():
    protected = {
        model._meta.label: sorted(recorded_fields(model) & set(encrypted_columns(model)))
        for model in auditlog.get_models()
    }
    assert {label: names for label, names in protected.items() if names} == {}
    # The models with personal data are among them, each column with its hash.
    assert {"clients.Person", "workforce.Worker", "community.Volunteer", "hotline.Ticket"} <= {
        model._meta.label for model in auditlog.get_models() if encrypted_columns(model)
    }


def test_each_encrypted_column_comes_with_its_hash_where_it_has_one():
    assert encrypted_columns(Person) == [
        "id_number",
        "id_number_hash",
        "phone",
        "phone_hash",
        "guardian_phone",
    ]


def test_no_model_with_an_id_number_records_the_birth_date_it_repeats():
    """The birth date is eight of the ID number's digits: a model that encrypts the number leaves it out too."""
    with_birth_date = [
        model
        for model in auditlog.get_models()
        if "id_number" in encrypted_columns(model)
        and "birth_date" in {f.name for f in model._meta.concrete_fields}
    ]
    assert {model._meta.label for model in with_birth_date} >= {"clients.Person", "workforce.Worker"}
    assert [model._meta.label for model in with_birth_date if "birth_date" in recorded_fields(model)] == []


def test_options_of_a_model_the_domain_does_not_record_are_refused():
    """A misspelt model in ``audit_options`` would record the model without the fields it leaves out."""

    class Config(AuditedAppConfig):
        audited = ("Ticket",)
        audit_options = {"Tickets": {"exclude": ["caller_phone_last4"]}}

    with pytest.raises(ImproperlyConfigured, match="Tickets"):
        Config("shegong.hotline", hotline).ready()
