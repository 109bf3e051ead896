"""Writes to the agency registry and the expert pool. The form, the API and any import check an agency with
:func:`agency_parse`; the credit code is verified with its check character (GB 32100-2015)."""

import copy
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc

from shegong.accounts.roles import Cap
from shegong.lib import bulk
from shegong.lib.bulk import audit
from shegong.lib.guard import require, require_choice
from shegong.lib.rows import save_valid
from shegong.regions.models import Region
from shegong.workforce.inputs import AGENCY
from shegong.workforce.models import Agency, Expert, ExpertKind, Rating
from shegong.workforce.services import _choice, _text, parse_date, today

AGENCY_FIELDS = (
    "name",
    "credit_code",
    "authority",
    "registered_on",
    "rating",
    "rating_year",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "staff_count",
    "note",
)


def credit_code_clean(value: str) -> str:
    """A verified unified social credit code, upper case; raises ValidationError with a Chinese message."""
    code = (value or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)}
        )
    try:
        return uscc.validate(code)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(
            _("The check character of this credit code is wrong; check each character.")
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(_("This is not a valid unified social credit code.")) from exc


def _int(data: Mapping, key: str, errors: dict, low: int, high: int) -> int | None:
    text = _text(data, key)
    if not text:
        return None
    try:
        number = int(float(text))
    except ValueError:
        errors[key] = _("should be a whole number, not “%(value)s”") % {"value": text}
        return None
    if not low <= number <= high:
        errors[key] = _("should be between %(low)d and %(high)d") % {"low": low, "high": high}
        return None
    return number


def agency_parse(data: Mapping) -> dict:
    """Check and normalise an agency's fields as typed. Raises ValidationError keyed by field."""
    errors: dict[str, str] = {}
    values: dict = {}
    for key in ("name", "authority", "legal_representative", "contact_name", "contact_phone", "note"):
        text, declared = _text(data, key), AGENCY.limits(key)  # workforce/inputs.py: its length, if required
        if declared.required and not text:
            errors[key] = _("This field is required.")
        elif len(text) > declared.max_length:
            errors[key] = _("At most %(n)d characters.") % {"n": declared.max_length}
        values[key] = text
    try:
        values["credit_code"] = credit_code_clean(_text(data, "credit_code"))
    except ValidationError as exc:
        errors["credit_code"] = exc.messages[0]
    values["registered_on"] = parse_date(data.get("registered_on"), field="registered_on", errors=errors)
    values["rating"] = _choice(data, "rating", Rating, errors, required=False)
    first_year = AGENCY.limits("rating_year").min_value
    values["rating_year"] = _int(data, "rating_year", errors, first_year, today().year)
    if values["rating"] and not values["rating_year"] and "rating_year" not in errors:
        errors["rating_year"] = _("Give the year of the rating.")
    staff = AGENCY.limits("staff_count")
    values["staff_count"] = _int(data, "staff_count", errors, staff.min_value, staff.max_value)
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def agency_save(*, actor, data: Mapping, region: Region | None, agency: Agency | None = None) -> Agency:
    """Register an agency (``agency`` None) or change one from its fields as given (checked by
    :func:`agency_parse`; the page's form or the API's input of workforce/inputs.py AGENCY); ``region``: where
    it is registered (None when changing: it stays)."""
    require(actor, Cap.DATA_EDIT, None if agency is None else agency.region_id)
    values = agency_parse(data)
    if agency is None:
        return agency_create(actor=actor, region=region, values=values)
    return agency_update(actor=actor, agency=agency, values=values, region=region)


def _agency_validate(agency: Agency, *, actor) -> None:
    require_choice(actor, agency.region_id, "region_code")
    if Agency.objects.filter(credit_code=agency.credit_code).exclude(pk=agency.pk).exists():
        raise ValidationError({"credit_code": _("An agency with this credit code is already registered.")})
    agency.full_clean()


@transaction.atomic
def agency_create(*, actor, region: Region, values: dict) -> Agency:
    require(actor, Cap.DATA_EDIT)
    agency = Agency(region=region, **values)
    _agency_validate(agency, actor=actor)
    agency.save()
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, values: dict, region: Region | None = None) -> Agency:
    require(actor, Cap.DATA_EDIT, agency.region_id)
    for key, value in values.items():
        setattr(agency, key, value)
    if region is not None:
        agency.region = region
    _agency_validate(agency, actor=actor)
    agency.save()
    return agency


@transaction.atomic
def agencies_save_many(*, actor, entries: list[tuple]) -> tuple[list[Agency], list[Agency]]:
    """Many agencies at once (the agency ledger's batches): ``entries`` are (agency on file or None, region,
    values), each registered as :func:`agency_create` or changed as :func:`agency_update` would, by the same
    rules (the division chosen within the jurisdiction, one agency per credit code, the model's validation);
    the credit codes are looked up once for all, then new agencies are inserted and those on file changed in
    one statement each, with their audit-trail rows. Any entry that fails raises its ValidationError and
    nothing is written. Returns (created, updated)."""
    require(actor, Cap.DATA_EDIT)
    created, updated, olds = [], [], []
    for agency, region, values in entries:
        if agency is None:
            agency = Agency(region=region, **values)
            created.append(agency)
        else:
            require(actor, Cap.DATA_EDIT, agency.region_id)
            olds.append(copy.copy(agency))
            for key, value in values.items():
                setattr(agency, key, value)
            if region is not None:
                agency.region = region
            updated.append(agency)
        require_choice(actor, agency.region_id, "region_code")
        agency.full_clean(exclude=["region"], validate_unique=False)
    codes = [agency.credit_code for agency in (*created, *updated)]
    if len(set(codes)) != len(codes) or (
        Agency.objects.filter(credit_code__in=codes).exclude(pk__in=[a.pk for a in updated]).exists()
    ):
        raise ValidationError({"credit_code": _("An agency with this credit code is already registered.")})
    Agency.objects.bulk_create(created, batch_size=500)
    changed = ["region", *AGENCY_FIELDS]
    bulk.update(Agency, updated, changed)
    audit(created)
    audit(updated, olds=olds, fields=changed)
    return created, updated


# --- Expert pool --------------------------------------------------------------------------------------


@transaction.atomic
def expert_save(*, actor, region: Region, values: dict, expert: Expert | None = None) -> Expert:
    """Add a member to a region's pool, or change one."""
    require(actor, Cap.DATA_EDIT, expert.region_id if expert is not None else None)
    require_choice(actor, region, "region_code")
    if values.get("kind") not in ExpertKind.values:
        raise ValidationError({"kind": _("Choose a role in the pool.")})
    expert = expert or Expert()
    for key, value in values.items():
        setattr(expert, key, value)
    expert.region = region
    if expert.worker_id is not None:
        require_choice(actor, expert.worker.region_id, "worker")
    return save_valid(expert)
