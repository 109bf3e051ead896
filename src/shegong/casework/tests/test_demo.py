import datetime as dt

import pytest
from django.core.management import call_command

from shegong.casework.models import Case, ServiceRecord, Stage
from shegong.clients.models import Person, Visit
from shegong.clients.selectors import visit_ledger

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_stage_some_overdue_visits_and_a_year_of_services():
    call_command("demo_setup", force=True, verbosity=0)
    call_command("demo_network", force=True, verbosity=0)
    call_command("demo_casework", force=True, people=300, verbosity=0)
    assert Person.objects.count() == 300 and Visit.objects.exists()
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert ServiceRecord.objects.exists()
    from shegong.accounts.models import User

    worker = User.objects.get(username="worker")
    assert visit_ledger(user=worker, status="overdue").exists()
    # Handled by the stations' social workers, never by the county's administrator, and dated as it happened.
    admins = set(
        User.objects.filter(username__in=["county", "county2", "prefecture"]).values_list("pk", flat=True)
    )
    assert not Case.objects.filter(worker_id__in=admins).exists()
    assert not ServiceRecord.objects.filter(worker_id__in=admins).exists()
    from django.utils import timezone

    from shegong.casework.models import CaseEvent

    today = timezone.localdate()
    assert CaseEvent.objects.filter(at__date__lt=today - dt.timedelta(days=365)).exists()
    for case in Case.objects.exclude(closed_on=None):
        assert case.opened_on <= case.closed_on < today
        assert case.person.registered_on <= case.opened_on
    assert Person.objects.filter(registered_on__lt=dt.date(2022, 1, 1)).exists()
    assert ServiceRecord.objects.filter(served_on__lt=dt.date(2023, 1, 1)).exists()
    # Running it again adds nothing.
    call_command("demo_casework", force=True, people=300, verbosity=0)
    assert Person.objects.count() == 300
