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
    # Running it again adds nothing.
    call_command("demo_casework", force=True, people=300, verbosity=0)
    assert Person.objects.count() == 300
