import pytest
from django.core.management import call_command

from shegong.bulletins.models import Bulletin
from shegong.evaluations.models import Evaluation, EvaluationStatus
from shegong.hotline.models import Ticket
from shegong.projects.models import Payment, Project

pytestmark = pytest.mark.django_db


def test_the_demo_makes_projects_a_round_a_month_of_tickets_and_the_prefectures_bulletins():
    call_command("demo_setup", force=True, verbosity=0)
    call_command("demo_network", force=True, verbosity=0)
    call_command("demo_casework", force=True, people=200, verbosity=0)
    call_command("demo_projects", force=True, verbosity=0)
    assert Project.objects.count() == 3 and Payment.objects.count() == 3
    assert Evaluation.objects.filter(status=EvaluationStatus.FINAL).exists()
    assert Evaluation.objects.filter(status=EvaluationStatus.SELF).exists()
    assert Ticket.objects.count() == 60
    bulletins = list(Bulletin.objects.order_by("month"))
    assert len(bulletins) == 2 and bulletins[1].figures["has_previous"]
    assert bulletins[1].figures["network"]["stations_built"] > 50
    # Running it again adds nothing.
    call_command("demo_projects", force=True, verbosity=0)
    assert Project.objects.count() == 3 and Bulletin.objects.count() == 2
