import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.casework.tests.factories import station
from shegong.evaluations import selectors, services
from shegong.evaluations.models import EvaluationStatus, grade_for
from shegong.evaluations.tests.factories import launch_round, make_evaluation, template
from shegong.projects.tests.factories import make_project
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_station_template_has_six_dimensions_over_1000_points():
    system = template()
    assert [d.name for d in system.dimensions.all()] == [
        "基础建设",
        "制度建设",
        "运营投入",
        "运营管理",
        "服务提供",
        "运营绩效",
    ]
    assert services.full_points(system) == 1000
    assert services.full_points(template("project")) == 100


def test_a_template_is_copied_not_edited_and_a_used_system_is_frozen(users):
    with pytest.raises(ValidationError):
        services.dimension_add(actor=users["county"], system=template(), name="x")
    copy = services.system_copy(
        actor=users["county"], system=template(), region=Region.objects.get(code="522301")
    )
    dimension = services.dimension_add(actor=users["county"], system=copy, name="党建引领")
    services.indicator_add(actor=users["county"], dimension=dimension, name="党建阵地", points=Decimal("20"))
    assert services.full_points(copy) == 1020
    services.evaluation_start(actor=users["county"], system=copy, facility=station("522301001"))
    with pytest.raises(ValidationError):
        services.dimension_add(actor=users["county"], system=copy, name="y")


def test_self_assessment_then_evaluator_scores_give_a_total_and_stars(users):
    evaluation = make_evaluation()
    rows = list(evaluation.scores.select_related("indicator"))
    services.scores_set(
        actor=users["worker"],
        evaluation=evaluation,
        scores={r.indicator_id: {"self_score": r.indicator.points, "evidence": "照片"} for r in rows},
    )
    with pytest.raises(ValidationError):
        services.scores_set(
            actor=users["worker"], evaluation=evaluation, scores={rows[0].indicator_id: {"score": "1"}}
        )
    with pytest.raises(ValidationError):
        services.evaluation_finalise(
            actor=users["county"], evaluation=evaluation, findings="良好", shortcomings=""
        )
    # 85% of each indicator's points: 850 of 1,000, four stars.
    services.scores_set(
        actor=users["county"],
        evaluation=evaluation,
        scores={r.indicator_id: {"score": str(r.indicator.points * Decimal("0.85"))} for r in rows},
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.EVALUATING
    services.evaluation_finalise(
        actor=users["county"], evaluation=evaluation, findings="运营规范", shortcomings="儿童服务偏弱"
    )
    assert evaluation.total == Decimal("850.0")
    assert evaluation.grade == 4
    with pytest.raises(ValidationError):
        services.scores_set(
            actor=users["county"], evaluation=evaluation, scores={rows[0].indicator_id: {"score": "1"}}
        )


def test_a_score_above_the_indicators_points_or_not_a_number_is_refused(users):
    evaluation = make_evaluation()
    row = evaluation.scores.select_related("indicator").first()
    for bad in ("999", "-1", "abc"):
        with pytest.raises(ValidationError):
            services.scores_set(
                actor=users["county"], evaluation=evaluation, scores={row.indicator_id: {"score": bad}}
            )


def test_grades_follow_the_share_of_full_points():
    assert grade_for(Decimal(900), Decimal(1000)) == 5
    assert grade_for(Decimal(899.9), Decimal(1000)) == 4
    assert grade_for(Decimal(10), Decimal(1000)) == 1


def test_rectification_items_are_tracked_to_closure(users):
    evaluation = make_evaluation()
    item = services.rectification_add(
        actor=users["county"],
        evaluation=evaluation,
        text="完善档案",
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    figures = selectors.evaluation_figures(
        user=users["prefecture"], region="5223", since=timezone.localdate(), until=timezone.localdate()
    )
    assert figures["rectification_open"] == 1 and figures["rectification_overdue"] == 1
    with pytest.raises(ValidationError):
        services.rectification_close(actor=users["worker"], item=item, note="")
    services.rectification_close(actor=users["worker"], item=item, note="档案已补齐")
    with pytest.raises(ValidationError):
        services.rectification_close(actor=users["worker"], item=item, note="again")


def test_a_county_round_evaluates_every_built_station_and_shows_progress(users):
    for code in ("522301001", "522301002", "522301003"):
        station(code)
    station("522302001")  # another county: not in the round
    round_ = launch_round(users["county"], "2025年中期评估")
    progress = selectors.round_progress(user=users["county"], round=round_)
    assert progress["total"] == 3 and progress["final"] == 0
    assert selectors.round_progress(user=users["worker"], round=round_)["total"] == 1


def test_a_project_is_evaluated_with_the_project_template_only(users):
    project = make_project()
    with pytest.raises(ValidationError):
        services.evaluation_start(actor=users["county"], system=template(), project=project)
    evaluation = services.evaluation_start(actor=users["county"], system=template("project"), project=project)
    assert evaluation.full_points == 100
    assert list(selectors.evaluation_list(user=users["county"], project=project)) == [evaluation]
