"""Points: the rules per region, the ledger that only grows, the balance that always equals it, and
redemption refused beyond the balance or the stock."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Sum
from django.utils import timezone

from shegong.community import points, volunteers
from shegong.community.models import EntryKind, PointEntry, SignUpStatus, Volunteer
from shegong.community.tests.factories import (
    actor_for,
    catalogue_item,
    confirmed_signup,
    give_points,
    make_activity,
    make_volunteer,
)
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db


def _ledger_sum(volunteer) -> int:
    return PointEntry.objects.filter(volunteer=volunteer).aggregate(s=Sum("points"))["s"] or 0


def test_without_a_rule_an_hour_earns_ten_points():
    volunteer = make_volunteer()
    signup = confirmed_signup(volunteer, hours="2.5")
    volunteer.refresh_from_db()
    assert signup.points == 25 and volunteer.points_balance == 25
    entry = PointEntry.objects.get(signup=signup)
    assert entry.kind == EntryKind.EARN and entry.balance_after == 25 and "重阳节关爱探访" in entry.reason


def test_the_nearest_rule_applies_with_its_bonuses():
    prefecture, county = Region.objects.get(code="5223"), Region.objects.get(code="522301")
    # The prefecture's rule is set by the prefecture (a county's administrator is refused a region above theirs).
    points.point_rule_set(actor=actor_for("5223"), region=prefecture, points_per_hour=5)
    points.point_rule_set(
        actor=actor_for(),
        region=county,
        points_per_hour=12,
        bonus_kind="care_visit",
        bonus_points=5,
        long_hours=Decimal("4"),
        long_bonus_points=20,
    )
    volunteer = make_volunteer()
    # 3 h × 12 = 36, + 5 for a care visit.
    assert confirmed_signup(volunteer, make_activity(), hours="3").points == 41
    # 4 h × 12 = 48, + 20 for long service; a festival has no type bonus.
    assert confirmed_signup(volunteer, make_activity(kind="festival"), hours="4").points == 68
    # Another county of the prefecture: the prefecture's 5 points an hour.
    other = make_volunteer(code="522302001001")
    assert confirmed_signup(other, make_activity(code="522302001"), hours="1.5").points == 8


def test_a_signup_moves_only_by_the_table_and_earns_once():
    volunteer = make_volunteer()
    activity = make_activity()
    actor = actor_for()
    signup = volunteers.signup_create(actor=actor, activity=activity, volunteer=volunteer)
    with pytest.raises(ValidationError):
        volunteers.signup_check_out(actor=actor, signup=signup)
    volunteers.signup_check_in(actor=actor, signup=signup)
    volunteers.signup_check_out(actor=actor, signup=signup)
    with pytest.raises(ValidationError, match="cannot be moved|不能"):
        volunteers.signup_check_out(actor=actor, signup=signup)
    volunteers.signup_confirm(actor=actor, signup=signup, hours="2")
    with pytest.raises(ValidationError):
        volunteers.signup_confirm(actor=actor, signup=signup, hours="2")
    assert PointEntry.objects.filter(volunteer=volunteer).count() == 1


def test_a_stale_copy_of_a_signup_cannot_check_out_twice():
    volunteer = make_volunteer()
    actor = actor_for()
    signup = volunteers.signup_create(actor=actor, activity=make_activity(), volunteer=volunteer)
    volunteers.signup_check_in(actor=actor, signup=signup)
    stale = type(signup).objects.get(pk=signup.pk)
    volunteers.signup_check_out(actor=actor, signup=signup)
    with pytest.raises(ValidationError):
        volunteers.signup_check_out(actor=actor, signup=stale)
    stale_confirm = type(signup).objects.get(pk=signup.pk)
    volunteers.signup_confirm(actor=actor, signup=signup, hours="1")
    with pytest.raises(ValidationError):
        volunteers.signup_confirm(actor=actor, signup=stale_confirm, hours="1")
    assert _ledger_sum(volunteer) == 10


def test_confirmed_hours_must_be_sensible():
    volunteer = make_volunteer()
    actor = actor_for()
    signup = volunteers.signup_create(actor=actor, activity=make_activity(), volunteer=volunteer)
    volunteers.signup_check_in(actor=actor, signup=signup)
    volunteers.signup_check_out(actor=actor, signup=signup)
    for bad in ("0", "25", "abc", "-1"):
        with pytest.raises(ValidationError) as caught:
            volunteers.signup_confirm(actor=actor, signup=signup, hours=bad)
        assert "confirmed_hours" in caught.value.message_dict
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CHECKED_OUT


def test_a_redemption_beyond_the_balance_is_refused_with_a_clear_message():
    volunteer = make_volunteer(name="张三")
    give_points(volunteer, 60)
    rice = catalogue_item(cost=50)
    points.redemption_create(actor=actor_for(), volunteer=volunteer, item=rice)
    with pytest.raises(ValidationError) as caught:
        points.redemption_create(actor=actor_for(), volunteer=volunteer, item=rice)
    message = caught.value.messages[0]
    assert "10" in message and "50" in message and "张三" in message
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 10 == _ledger_sum(volunteer)


def test_redemption_takes_the_stock_and_stops_when_it_is_gone():
    volunteer = make_volunteer()
    give_points(volunteer, 500)
    towel = catalogue_item(name="毛巾", cost=10, stock=2)
    points.redemption_create(actor=actor_for(), volunteer=volunteer, item=towel, quantity=2)
    towel.refresh_from_db()
    assert towel.stock == 0
    with pytest.raises(ValidationError, match="stock|库存"):
        points.redemption_create(actor=actor_for(), volunteer=volunteer, item=towel)
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 480 == _ledger_sum(volunteer)


def test_an_item_of_another_county_cannot_be_redeemed():
    volunteer = make_volunteer()
    give_points(volunteer, 100)
    elsewhere = catalogue_item(code="522302", name="兴仁大米")
    with pytest.raises(ValidationError):
        points.redemption_create(actor=actor_for(), volunteer=volunteer, item=elsewhere)


def test_adjusting_and_expiring_need_a_reason_and_never_go_below_zero():
    volunteer = make_volunteer()
    give_points(volunteer, 30)
    with pytest.raises(ValidationError, match="reason|原因"):
        points.points_adjust(actor=actor_for(), volunteer=volunteer, points=5, reason=" ")
    with pytest.raises(ValidationError):
        points.points_expire(actor=actor_for(), volunteer=volunteer, points=31, reason="两年未使用")
    points.points_expire(actor=actor_for(), volunteer=volunteer, points=30, reason="两年未使用")
    volunteer.refresh_from_db()
    assert volunteer.points_balance == 0 == _ledger_sum(volunteer)
    kinds = list(
        PointEntry.objects.filter(volunteer=volunteer).values_list("kind", "points", "actor__username")
    )
    assert kinds == [("adjust", 30, "editor522301"), ("expire", -30, "editor522301")]


def test_the_balance_equals_the_ledger_after_any_sequence_of_operations():
    """The sequential form of the concurrency guarantee (test_concurrency.py runs it in parallel on
    PostgreSQL): whatever happens, each balance is its ledger's sum and never negative."""
    volunteer = make_volunteer()
    item = catalogue_item(cost=7)
    actor = actor_for()
    refused = 0
    for step in range(12):
        confirmed_signup(volunteer, make_activity(title=f"活动{step}"), hours="0.5")
        for _ in range(2):
            try:
                points.redemption_create(actor=actor, volunteer=volunteer, item=item)
            except ValidationError:
                refused += 1
    volunteer.refresh_from_db()
    assert volunteer.points_balance == _ledger_sum(volunteer) >= 0
    assert refused > 0
    assert all(v.points_balance == _ledger_sum(v) for v in Volunteer.objects.all())


def test_ledger_lines_cannot_be_changed_or_deleted_in_the_database():
    volunteer = make_volunteer()
    entry = give_points(volunteer, 10)
    with pytest.raises(DatabaseError), transaction.atomic():
        PointEntry.objects.filter(pk=entry.pk).update(points=1000)
    with pytest.raises(DatabaseError), transaction.atomic():
        PointEntry.objects.filter(pk=entry.pk).delete()
    assert PointEntry.objects.get(pk=entry.pk).points == 10


def test_hours_recorded_afterwards_are_confirmed_once():
    volunteer = make_volunteer()
    activity = make_activity(held_on=timezone.localdate() - dt.timedelta(days=60))
    signup = volunteers.hours_record(actor=actor_for(), activity=activity, volunteer=volunteer, hours="3")
    assert signup.status == SignUpStatus.CONFIRMED and signup.points == 30
    with pytest.raises(ValidationError):
        volunteers.hours_record(actor=actor_for(), activity=activity, volunteer=volunteer, hours="3")
    assert _ledger_sum(volunteer) == 30
