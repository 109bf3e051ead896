"""Check-outs, confirmations and redemptions at the same moment, on PostgreSQL: threads with their own
database connections race on one volunteer. No point is made or lost: the balance equals the ledger's sum,
each sign-up earns once, and the redemptions beyond the balance are refused with the clear message.

This needs committed data that other connections can see, so it is a transactional test. It runs on
PostgreSQL only (CI runs the whole suite there too): the flush after a transactional test deletes every row,
which SQLite cannot do to the append-only audit and ledger tables, while PostgreSQL's TRUNCATE does not fire
their row triggers. On SQLite, test_points.py checks the same invariant in sequence.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from shegong.community import points, volunteers
from shegong.community.models import PointEntry, Redemption, SignUp, SignUpStatus, Volunteer
from shegong.regions.models import Region
from shegong.testing import race

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL row locks; test_points.py covers SQLite"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 12


def test_parallel_check_outs_confirmations_and_redemptions_neither_make_nor_lose_a_point():
    assert connection.vendor == "postgresql"
    if not Region.objects.filter(code="522301001001").exists():
        call_command("load_regions", province=["52"], verbosity=0)
    from shegong.community.tests.factories import (
        actor_for,
        catalogue_item,
        give_points,
        make_activity,
        make_volunteer,
    )

    actor = actor_for()
    volunteer = make_volunteer()
    give_points(volunteer, 100)
    item = catalogue_item(cost=30)
    signups = []
    for n in range(THREADS // 2):
        signup = volunteers.signup_create(
            actor=actor, activity=make_activity(title=f"活动{n}"), volunteer=volunteer
        )
        volunteers.signup_check_in(actor=actor, signup=signup)
        signups.append(signup)

    def check_out_and_confirm(pk):
        def job():
            # Every sign-up is checked out and confirmed twice at once: once must win, once be refused.
            signup = SignUp.objects.select_related("activity__station").get(pk=pk)
            try:
                volunteers.signup_check_out(actor=actor, signup=signup)
            except ValidationError:
                signup.refresh_from_db()
            volunteers.signup_confirm(actor=actor, signup=signup, hours=Decimal("1"))

        return job

    def redeem():
        fresh = Volunteer.objects.get(pk=volunteer.pk)
        points.redemption_create(actor=actor, volunteer=fresh, item=item)

    jobs = []
    for signup in signups:
        jobs += [check_out_and_confirm(signup.pk), check_out_and_confirm(signup.pk)]
    jobs += [redeem] * THREADS
    outcome = race(jobs)

    unexpected = [exc for exc in outcome if exc is not None and not isinstance(exc, ValidationError)]
    assert not unexpected, unexpected
    volunteer.refresh_from_db()
    ledger = PointEntry.objects.filter(volunteer=volunteer).aggregate(s=Sum("points"))["s"]
    assert volunteer.points_balance == ledger >= 0
    # Each sign-up confirmed once, and earned once: 6 × 10 points.
    assert SignUp.objects.filter(pk__in=[s.pk for s in signups], status=SignUpStatus.CONFIRMED).count() == 6
    assert PointEntry.objects.filter(volunteer=volunteer, kind="earn").count() == 6
    redeemed = Redemption.objects.filter(volunteer=volunteer).count()
    assert ledger == 100 + 60 - 30 * redeemed
    # At least 100 // 30 = 3 redemptions fit the starting balance; never more than 160 // 30 = 5.
    assert 3 <= redeemed <= 5
    refusals = [exc for exc in outcome[-THREADS:] if exc is not None]
    assert len(refusals) == THREADS - redeemed
    assert all("Not enough points" in m or "积分不足" in m for exc in refusals for m in exc.messages)
