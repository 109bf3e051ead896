"""The visit ledger through the one import engine (issue 15.8/15.9): a station's 走访台账 with a title row, the
person by ID number (full-width digits too) or by name and village, the mode as ledgers write it, the visit
credited to the social worker named in the row and not to the clerk; a visit already recorded refused by row;
the same file twice adds nothing; the old upload page leads to the engine's page."""

import pytest
from django.urls import reverse

from shegong.clients.models import Visit, VisitMode
from shegong.clients.tests.factories import id_number, make_person
from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the fixture)
from shegong.lib.importer.tests.corpus import errors_by_row, titled_ledger, today_minus
from shegong.regions.models import Region
from shegong.testing import make_user

pytestmark = pytest.mark.django_db
LEDGER = "clients.visits"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
HEADER = ["序号", "姓名", "身份证号码", "村（社区）", "走访日期", "走访方式", "走访人", "走访情况"]


@pytest.fixture
def world(users):
    village = Region.objects.get(code="522301001001")
    worker = make_user("zhang", "worker", "522301001")
    worker.full_name = "张社工"
    worker.save(update_fields=["full_name"])
    first = make_person(name="王秀英", actor=users["county"], id_number=id_number("19500101", serial=21))
    second = make_person(name="李德明", actor=users["county"], id_number=id_number("19480202", serial=23))
    return {"county": users["county"], "worker": worker, "village": village, "people": (first, second)}


def _ledger(rows):
    return titled_ledger(HEADER, rows, "黄草街道走访台账")


def test_visits_are_credited_to_the_worker_named_in_the_row_not_the_clerk(world, run):  # noqa: F811
    first, second = world["people"]
    day = today_minus(4)
    data = _ledger(
        [
            [
                1,
                "王秀英",
                first.id_number.translate(FULL),
                None,
                day.strftime("%Y年%m月%d日"),
                "入户",
                "张社工",
                "身体尚可",
            ],
            [
                2,
                "李德明",
                None,
                world["village"].name + "村民委员会",
                day.strftime("%Y.%m.%d"),
                "电话回访",
                "张社工",
                "电话联系，生活正常",
            ],
            ["合计", "2人", None, None, None, None, None, None],
        ]
    )
    job = run(world["county"], LEDGER, data, commit=True)
    assert job.result["ok"], job.result
    visits = {v.person_id: v for v in Visit.objects.all()}
    assert set(visits) == {first.pk, second.pk}
    assert all(v.visitor == world["worker"] for v in visits.values())
    assert visits[first.pk].mode == VisitMode.HOME and visits[first.pk].findings == "身体尚可"
    assert visits[second.pk].mode == VisitMode.PHONE and visits[second.pk].visited_on == day
    again = run(world["county"], LEDGER, data, commit=True)
    assert Visit.objects.count() == 2, again.result


def test_every_problem_of_a_visit_ledger_in_one_pass_and_nothing_written(world, users, run):  # noqa: F811
    first, _second = world["people"]
    other = make_person(
        code="522302001001",
        name="赵其",
        actor=users["county2"],
        id_number=id_number("19520303", "522302", 25),
    )
    day = today_minus(2)
    data = _ledger(
        [
            [1, "王秀英", first.id_number, None, day, "入户", "张社工", "身体尚可"],  # good
            [
                2,
                "王秀英",
                float(first.id_number[:17] + "0"),
                None,
                day,
                "入户",
                "张社工",
                "",
            ],  # Excel lost digits
            [3, "赵其", other.id_number, None, day, "入户", "张社工", ""],  # another county's file
            [4, "无名氏", None, world["village"].name, day, "入户", "张社工", ""],  # no such file
            [5, "王秀英", first.id_number, None, day, "入户", "李不存在", ""],  # no such worker
            [6, "王秀英", first.id_number, None, today_minus(-5), "入户", "张社工", ""],  # in the future
            [7, "王秀英", None, None, day, "入户", "张社工", ""],  # name without village
        ]
    )
    job = run(world["county"], LEDGER, data, commit=True)
    assert job.result["ok"] is False
    assert sorted(errors_by_row(job)) == [4, 5, 6, 7, 8, 9], job.result["errors"]
    assert not Visit.objects.exists()


def test_a_batch_of_visits_moves_each_persons_visit_status_and_a_failed_import_takes_it_back(
    world,
    run,  # noqa: F811
    monkeypatch,
):
    from django.core.exceptions import ValidationError

    from shegong.clients import services
    from shegong.lib.importer.ledger import ledger_get

    first, second = world["people"]
    day = today_minus(3)
    rows = [
        [1, "王秀英", first.id_number, None, day, "入户", "张社工", "身体尚可"],
        [2, "李德明", second.id_number, None, day, "电话回访", "张社工", "按时服药"],
    ]
    job = run(world["county"], LEDGER, _ledger(rows), commit=True)
    assert job.result["ok"] and job.result["written"] == 2, job.result
    for person in (first, second):
        person.refresh_from_db()
        assert person.last_visit_on == day

    # Row 4 (the second row of the next file) is refused as it is written, after the first batch went in.
    monkeypatch.setattr(ledger_get(LEDGER), "batch_size", 1)
    original = services._visit_new

    def refuse_second(**fields):
        if fields["person"].pk == second.pk:
            raise ValidationError({"findings": "走访内容不完整"})
        return original(**fields)

    monkeypatch.setattr(services, "_visit_new", refuse_second)
    later = today_minus(1)
    rows = [
        [1, "王秀英", first.id_number, None, later, "入户", "张社工", "情况稳定"],
        [2, "李德明", second.id_number, None, later, "入户", "张社工", "情况稳定"],
    ]
    job = run(world["county"], LEDGER, _ledger(rows), commit=True)
    assert job.result["ok"] is False and "第4行" in job.result["message"]
    assert Visit.objects.filter(visited_on=later).count() == 0
    first.refresh_from_db()
    assert first.last_visit_on == day


def test_a_visit_already_recorded_in_the_form_is_refused_by_row(world, run):  # noqa: F811
    from shegong.clients import services

    first, _second = world["people"]
    day = today_minus(3)
    services.visit_create(
        actor=world["county"], person=first, visited_on=day, mode=VisitMode.HOME, findings="身体尚可"
    )
    job = run(
        world["county"],
        LEDGER,
        _ledger([[1, "王秀英", first.id_number, None, day, "上门", "张社工", "身体尚可"]]),
        commit=True,
    )
    assert job.result["ok"] is False and list(errors_by_row(job)) == [3]
    assert Visit.objects.count() == 1


def test_the_old_visit_import_page_and_template_lead_to_the_engine(users, login):
    client = login(users["worker"])
    page = client.get(reverse("clients:visit_import"))
    assert page.status_code == 302 and page["Location"] == reverse("importer:index") + "?ledger=" + LEDGER
    template = client.get(reverse("clients:visit_template"))
    assert template.status_code == 302
    assert template["Location"] == reverse("importer:template", args=[LEDGER])
