"""Facts to be completed (issue 15.7): a certificate ledger that lacks a number not collected yet goes in; the
certificate is recorded without a number (never an invented one), the workbench of the station's social worker
and of the county lists it as a to-do, another county does not see it, and the number given later (by the
ledger or the form) completes it. An empty number in a later file never erases a number on file."""

import pytest

from shegong.lib.importer.tests.conftest import run  # noqa: F401  (the engine's fixture)
from shegong.lib.importer.tests.corpus import xlsx
from shegong.testing import make_user
from shegong.workbench.views import workbench_context
from shegong.workforce.models import Certificate
from shegong.workforce.tests.factories import make_id, make_station, make_worker

pytestmark = pytest.mark.django_db
A = make_id("522301", "19900101", 112)
B = make_id("522301", "19920202", 222)
HEADER = ["身份证号码", "姓名", "证书等级", "取得年份", "证书编号"]


def _slot(user):
    board = workbench_context(user)
    return next((s for s in board["slots"] if s["key"] == "certificate_numbers"), None)


def test_a_certificate_without_its_number_goes_in_and_is_a_to_do_until_the_number_is_given(users, run):  # noqa: F811
    station = make_station("522301001", name="黄草街道社会工作服务站")
    li = make_worker(station, id_number=A, name="李娜")
    wang = make_worker(station, id_number=B, name="王芳")
    rows = [HEADER, [A, "李娜", "助理社会工作师", 2021, None], [B, "王芳", "助理社会工作师", 2022, ""]]
    job = run(users["county"], "workforce.certificates", xlsx(rows), commit=True)
    assert job.result["ok"], job.result["errors"]
    assert set(Certificate.objects.values_list("worker_id", "number")) == {(li.pk, ""), (wang.pk, "")}

    slot = _slot(users["county"])
    assert slot["count"] == 2 and "李娜" in slot["items"][0]["label"] + slot["items"][1]["label"]
    assert all(item["note"] == "证书编号待补录" for item in slot["items"])
    township_worker = make_user("hc_worker", "worker", "522301001")
    assert _slot(township_worker)["count"] == 2
    assert _slot(users["county2"]) is None  # another county's to-do is not shown

    completed = [HEADER, [A, "李娜", "助理社会工作师", 2021, "zl2021001"]]
    job = run(users["county"], "workforce.certificates", xlsx(completed), commit=True)
    assert job.result["ok"], job.result["errors"]
    assert Certificate.objects.get(worker=li).number == "ZL2021001"
    assert _slot(users["county"])["count"] == 1

    # A later file that again lacks the number never erases the one on file.
    again = [HEADER, [A, "李娜", "助理社会工作师", "２０２１", None]]
    job = run(users["county"], "workforce.certificates", xlsx(again), commit=True)
    assert job.result["ok"], job.result["errors"]
    assert Certificate.objects.get(worker=li).number == "ZL2021001"


def test_the_workbench_page_shows_the_to_do(users, client):
    from shegong.testing import verified_login
    from shegong.workforce import services

    station = make_station("522301001", name="黄草街道社会工作服务站")
    worker = make_worker(station, id_number=A, name="李娜")
    services.certificate_save(actor=users["county"], worker=worker, level=1, year=2021, number="")
    verified_login(client, users["county"])
    page = client.get("/").content.decode()
    assert 'data-testid="slot-certificate_numbers"' in page and "证书编号待补录" in page and "李娜" in page
