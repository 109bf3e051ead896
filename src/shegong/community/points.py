"""Volunteer points (志愿积分): the rules per region, the ledger, the catalogue and redemption.

The ledger is append-only: every change of a balance is one PointEntry (earn, redeem, expire, adjust) with who
recorded it and why, and :func:`_append` is the only function that writes one. It locks the volunteer's row
(SELECT ... FOR UPDATE on PostgreSQL; SQLite's write transactions are serialised anyway), reads the balance,
refuses to go below zero, writes the line and the new balance in the same transaction. So the balance always
equals the ledger's sum, and two requests at once can neither make nor lose a point; an award names its
sign-up in a one-to-one column, so a sign-up can earn only once whatever the timing.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shegong.accounts.roles import Cap
from shegong.community.models import (
    DEFAULT_POINTS_PER_HOUR,
    ActivityKind,
    CatalogueItem,
    EntryKind,
    PointEntry,
    PointRule,
    Redemption,
    SignUp,
    Volunteer,
)
from shegong.lib.guard import require, require_choice
from shegong.lib.rows import append_to_balance, assign, save_valid
from shegong.lib.scoping import applies_q, lineage, nearest


def rule_for(code: str) -> PointRule | None:
    """The points rule of the nearest region at or above ``code``."""
    return nearest({r.region_id: r for r in PointRule.objects.filter(applies_q("region_id", code))}, code)


_ASK = object()


def points_for(*, hours: Decimal, activity_kind: str, code: str, rule=_ASK) -> int:
    """Points a sign-up earns for ``hours`` confirmed hours at an activity of ``activity_kind`` held at a
    station in ``code``: hours times the rate, rounded half up, plus the bonuses the rule gives. ``rule`` is
    the rule of ``code`` when the caller has it already (None: the region has none), else it is looked up."""
    rule = rule_for(code) if rule is _ASK else rule
    rate = rule.points_per_hour if rule else DEFAULT_POINTS_PER_HOUR
    points = int((Decimal(hours) * rate).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if rule and hours > 0:
        if rule.bonus_kind and rule.bonus_kind == activity_kind:
            points += rule.bonus_points
        if rule.long_hours is not None and hours >= rule.long_hours:
            points += rule.long_bonus_points
    return points


def _append(
    *,
    actor,
    volunteer_id: int,
    kind: str,
    points: int,
    reason: str,
    signup: SignUp | None = None,
    redemption: Redemption | None = None,
) -> PointEntry:
    """Append one line to a volunteer's ledger and move the balance with it. Call inside a transaction."""
    entry = PointEntry(
        volunteer_id=volunteer_id,
        kind=kind,
        points=points,
        reason=reason,
        signup=signup,
        redemption=redemption,
        actor=actor,
    )
    message = _("Not enough points: the balance is %(balance)d, this needs %(needed)d.")
    refused = ("points", message, {"needed": -points})
    exclude = ["volunteer", "signup", "redemption", "actor"]
    return append_to_balance(
        entry, Volunteer, volunteer_id, "points_balance", points, refused, exclude=exclude
    )


def points_award(*, actor, signup: SignUp) -> PointEntry | None:
    """The points of a confirmed sign-up, once. Called by volunteers.signup_confirm in its transaction."""
    require(actor, Cap.DATA_EDIT, signup.activity.station.region_id)
    if signup.points <= 0:
        return None
    reason = _("Confirmed %(hours)s hours: %(activity)s") % {
        "hours": signup.confirmed_hours,
        "activity": signup.activity.title,
    }
    return _append(
        actor=actor,
        volunteer_id=signup.volunteer_id,
        kind=EntryKind.EARN,
        points=signup.points,
        reason=reason[:200],
        signup=signup,
    )


def points_award_many(*, actor, signups: list[SignUp]) -> list[PointEntry]:
    """The points of many sign-ups confirmed at once (volunteers.hours_record_many), each once, as
    :func:`points_award` awards them: one ledger line per sign-up that earned points, each volunteer's balance
    moved by all of theirs. The volunteers' rows are locked and read in one query, the lines inserted at once
    and the balances written at once. Call inside the transaction that confirmed the sign-ups."""
    require(actor, Cap.DATA_EDIT)
    earning = [s for s in signups if s.points > 0]
    if not earning:
        return []
    ids = {s.volunteer_id for s in earning}
    balances = dict(
        Volunteer.objects.select_for_update().filter(pk__in=ids).values_list("id", "points_balance")
    )
    entries = []
    for signup in earning:
        require(actor, Cap.DATA_EDIT, signup.activity.station.region_id)
        reason = _("Confirmed %(hours)s hours: %(activity)s") % {
            "hours": signup.confirmed_hours,
            "activity": signup.activity.title,
        }
        # An award is positive (points > 0 above) on a balance that is not negative: the new balance is not
        # negative either, which the ledger's two constraints ask.
        balances[signup.volunteer_id] += signup.points
        entry = PointEntry(
            volunteer_id=signup.volunteer_id,
            kind=EntryKind.EARN,
            points=signup.points,
            balance_after=balances[signup.volunteer_id],
            reason=reason[:200],
            signup=signup,
            actor=actor,
        )
        entry.full_clean(exclude=["volunteer", "signup", "redemption", "actor"], validate_constraints=False)
        entries.append(entry)
    PointEntry.objects.bulk_create(entries, batch_size=500)
    # One statement run for each volunteer (bulk_update's CASE over a thousand rows costs more to build).
    meta, qn = Volunteer._meta, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {qn(meta.db_table)} SET {qn(meta.get_field('points_balance').column)} = %s "
            f"WHERE {qn(meta.pk.column)} = %s",
            [(balance, pk) for pk, balance in balances.items()],
        )
    return entries


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is kept in the ledger.")})
    return reason[:200]


@transaction.atomic
def points_adjust(*, actor, volunteer: Volunteer, points: int, reason: str) -> PointEntry:
    """A correction by an administrator, up or down, with its reason."""
    require(actor, Cap.COMMUNITY_CONFIGURE, volunteer.region_id)
    if not points:
        raise ValidationError({"points": _("An adjustment changes the balance: give a number other than 0.")})
    return _append(
        actor=actor, volunteer_id=volunteer.pk, kind=EntryKind.ADJUST, points=points, reason=_reason(reason)
    )


@transaction.atomic
def points_expire(*, actor, volunteer: Volunteer, points: int, reason: str) -> PointEntry:
    """Points that lapse under the region's rules (e.g. unused for two years), with the reason."""
    require(actor, Cap.COMMUNITY_CONFIGURE, volunteer.region_id)
    if points <= 0:
        raise ValidationError({"points": _("Give the number of points that expire (more than 0).")})
    return _append(
        actor=actor, volunteer_id=volunteer.pk, kind=EntryKind.EXPIRE, points=-points, reason=_reason(reason)
    )


@transaction.atomic
def redemption_create(*, actor, volunteer: Volunteer, item: CatalogueItem, quantity: int = 1) -> Redemption:
    """Spend points on a catalogue item. Refused beyond the balance or the stock, with a message saying so;
    safe when several are made at once (the volunteer's row is locked, the stock taken by a conditional
    UPDATE)."""
    require(actor, Cap.DATA_EDIT, volunteer.region_id)
    if quantity < 1:
        raise ValidationError({"quantity": _("Redeem at least one.")})
    if not item.active:
        raise ValidationError({"item": _("This item is no longer offered.")})
    if item.region_id not in lineage(volunteer.region_id):
        raise ValidationError({"item": _("This item is not offered where the volunteer is registered.")})
    cost = item.points * quantity
    # Lock the volunteer first: the balance check and the stock are then decided in one order everywhere.
    balance = (
        Volunteer.objects.select_for_update().values_list("points_balance", flat=True).get(pk=volunteer.pk)
    )
    if cost > balance:
        raise ValidationError(
            {
                "quantity": _(
                    "Not enough points: %(name)s has %(balance)d points, %(item)s × %(quantity)d needs %(cost)d."
                )
                % {
                    "name": volunteer.name,
                    "balance": balance,
                    "item": item.name,
                    "quantity": quantity,
                    "cost": cost,
                }
            }
        )
    if item.stock is not None:
        taken = CatalogueItem.objects.filter(pk=item.pk, stock__gte=quantity).update(
            stock=F("stock") - quantity
        )
        if not taken:
            raise ValidationError({"quantity": _("Not enough of this item left in stock.")})
    redemption = save_valid(
        Redemption(volunteer=volunteer, item=item, quantity=quantity, points=cost, actor=actor)
    )
    reason = _("Redeemed %(item)s × %(quantity)d") % {"item": item.name, "quantity": quantity}
    _append(
        actor=actor,
        volunteer_id=volunteer.pk,
        kind=EntryKind.REDEEM,
        points=-cost,
        reason=reason[:200],
        redemption=redemption,
    )
    volunteer.points_balance = balance - cost
    return redemption


@transaction.atomic
def catalogue_item_create(
    *, actor, region, name: str, points: int, stock: int | None = None, description: str = ""
) -> CatalogueItem:
    require(actor, Cap.COMMUNITY_CONFIGURE)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    return save_valid(
        CatalogueItem(region=region, name=name.strip(), points=points, stock=stock, description=description)
    )


@transaction.atomic
def catalogue_item_update(*, actor, item: CatalogueItem, **fields) -> CatalogueItem:
    require(actor, Cap.COMMUNITY_CONFIGURE, item.region_id)
    return save_valid(assign(item, fields, ("name", "points", "stock", "description", "active")))


@transaction.atomic
def point_rule_set(
    *,
    actor,
    region,
    points_per_hour: int,
    bonus_kind: str = "",
    bonus_points: int = 0,
    long_hours: Decimal | None = None,
    long_bonus_points: int = 0,
) -> PointRule:
    """Set the points rule of ``region`` (one per region; setting it again replaces it). Points already
    awarded stay as they are: the ledger is never rewritten."""

    require(actor, Cap.COMMUNITY_CONFIGURE)
    require_choice(actor, region, "region", _("Choose a division in your jurisdiction."))
    if bonus_kind and bonus_kind not in ActivityKind.values:
        raise ValidationError({"bonus_kind": _("Choose an activity type from the list.")})
    if bonus_points and not bonus_kind:
        raise ValidationError({"bonus_kind": _("Choose the activity type the bonus is for.")})
    if long_bonus_points and long_hours is None:
        raise ValidationError({"long_hours": _("Give the hours from which the long-service bonus counts.")})
    rule = PointRule.objects.filter(region=region).first() or PointRule(region=region)
    rule.points_per_hour = points_per_hour
    rule.bonus_kind = bonus_kind
    rule.bonus_points = bonus_points if bonus_kind else 0
    rule.long_hours = long_hours
    rule.long_bonus_points = long_bonus_points if long_hours is not None else 0
    rule.updated_by = actor
    return save_valid(rule)
