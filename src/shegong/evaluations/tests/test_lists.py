"""The evaluation list keeps to the user's county and filters the same rows on its page, in the API and in
its export (shegong.testing.assert_list_scoped)."""

import pytest

from shegong.clients.tests.factories import actor_for
from shegong.evaluations import services
from shegong.evaluations.models import Evaluation, EvaluationStatus
from shegong.evaluations.tests.factories import template
from shegong.network.tests.factories import make_facility
from shegong.testing import list_scope_test

pytestmark = pytest.mark.django_db


def _evaluation(code, mark, matches):
    facility = make_facility(code if matches else code[:-1] + "2", name=mark)  # one station a township
    evaluation = services.evaluation_start(actor=actor_for(code), system=template(), facility=facility)
    if not matches:  # a seed only: the workflow's moves are tested in test_evaluations.py
        Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.EVALUATING)


test_evaluations = list_scope_test(
    {
        "evaluations.evaluations": (
            "evaluations:evaluation_list",
            "/api/v1/evaluations/",
            _evaluation,
            {"status": EvaluationStatus.SELF},
        )
    }
)
