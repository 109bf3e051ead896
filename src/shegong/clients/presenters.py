"""How protected values of a file are shown: masked, unless the role may see them and (for the ID number) the
user asked to reveal it, which the view writes to the audit trail."""

from shegong.accounts.roles import Cap
from shegong.lib.pii import mask_id_number, mask_phone


def masked(person, *, user=None, reveal: bool = False) -> dict:
    may_see = user is not None and user.can(Cap.PII_VIEW)
    return {
        "id_number": person.id_number if (may_see and reveal) else mask_id_number(person.id_number),
        "phone": person.phone if may_see else mask_phone(person.phone),
        "guardian_phone": person.guardian_phone if may_see else mask_phone(person.guardian_phone),
    }
