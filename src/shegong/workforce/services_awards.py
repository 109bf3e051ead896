"""Award and allowance rules, and payments. Who is due what is read by selectors_awards.award_due; a payment
is recorded only for somebody due it, and the unique (rule, worker, period) constraint refuses a second one
even when two clerks press the button at once."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.lib.guard import require, require_choice
from shegong.lib.rows import save_valid
from shegong.regions.models import Region
from shegong.workforce.models import AwardKind, AwardRule, Payment, Worker
from shegong.workforce.selectors_awards import worker_is_due
from shegong.workforce.services import today


@transaction.atomic
def award_rule_create(
    *,
    actor,
    region: Region,
    name: str,
    kind: str,
    level: int,
    amount: Decimal,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str = "",
) -> AwardRule:
    require(actor, Cap.DATA_EDIT)
    require_choice(actor, region, "region_code")
    if valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end of validity is before its start.")})
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    rule = AwardRule(
        region=region,
        name=name,
        kind=kind,
        level=level,
        amount=amount,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    return save_valid(rule)


def period_clean(rule: AwardRule, period: str) -> str:
    if rule.kind == AwardKind.ONE_TIME:
        return ""
    try:
        month = dt.datetime.strptime(period or "", "%Y-%m").date()
    except ValueError as exc:
        raise ValidationError({"period": _("Give the month as 2025-03.")}) from exc
    if month > today():
        raise ValidationError({"period": _("The month has not begun.")})
    return month.strftime("%Y-%m")


@transaction.atomic
def payment_record(
    *,
    actor,
    rule: AwardRule,
    worker: Worker,
    period: str = "",
    paid_on: dt.date | None = None,
    reference: str = "",
) -> Payment:
    """Record that ``worker`` was paid ``rule`` (for ``period``, a month, if the rule is monthly). Refused if the
    worker is not due it, or was already paid it."""

    require(actor, Cap.DATA_EDIT, worker.region_id)
    require_choice(actor, rule.region_id, "worker")
    period = period_clean(rule, period)
    paid_on = paid_on or today()
    if paid_on > today():
        raise ValidationError({"paid_on": _("The date is in the future.")})
    if Payment.objects.filter(rule=rule, worker=worker, period=period).exists():
        raise ValidationError(_("This award has already been paid to this worker for this period."))
    if not worker_is_due(rule=rule, worker=worker, period=period):
        raise ValidationError(_("This worker is not due this award."))
    payment = Payment(
        rule=rule,
        worker=worker,
        period=period,
        amount=rule.amount,
        paid_on=paid_on,
        reference=reference[:60],
        created_by=actor,
    )
    payment.full_clean(exclude=["created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError as exc:
        # A payment recorded at the same moment by somebody else: the constraint is the last word.
        raise ValidationError(_("This award has already been paid to this worker for this period.")) from exc
    return payment
