"""How protected values of a file are shown on its pages: masked, always; a value in clear only through the
audited reveal (core/reveal.py, lib/personal_data.py)."""

from shegong.lib.personal_data import masked as masked_values

PROTECTED = ("id_number", "phone", "guardian_phone")


def masked(person) -> dict:
    return masked_values(person, PROTECTED)
