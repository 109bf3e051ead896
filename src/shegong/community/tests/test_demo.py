import pytest
from django.core.management import call_command
from django.db.models import Sum

from shegong.community.models import Activity, PointEntry, SignUp, Volunteer

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_prefecture_with_balances_that_equal_their_ledgers():
    call_command("demo_setup", force=True, verbosity=0)
    call_command("demo_network", force=True, verbosity=0)
    call_command("demo_community", force=True, volunteers=120, verbosity=0)
    assert Activity.objects.filter(station__region__code__startswith="522301001").exists()
    assert Volunteer.objects.count() == 120
    assert SignUp.objects.filter(status="confirmed").exists()
    for volunteer in Volunteer.objects.annotate(s=Sum("ledger__points")):
        assert volunteer.points_balance == (volunteer.s or 0)
    assert PointEntry.objects.filter(kind="redeem").exists()
    # Running it again adds nothing.
    call_command("demo_community", force=True, volunteers=120, verbosity=0)
    assert Volunteer.objects.count() == 120
