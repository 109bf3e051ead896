"""The audit trail as an auditor reads it (issue 13 item 9): related records by name, Chinese field names, local
time to the second, one row per import, the address and the outcome on every row, CSV and Excel exports that
name their filters."""

import csv
import datetime as dt
import io
import re

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils.translation import override
from openpyxl import load_workbook

from shegong.audit.presenters import present_all
from shegong.clients.models import Person
from shegong.clients.services import person_update
from shegong.clients.tests.factories import make_person
from shegong.regions.models import Region
from shegong.testing import verified_login
from shegong.workforce.models import Worker
from shegong.workforce.tests.factories import make_worker

pytestmark = pytest.mark.django_db
VILLAGE_A, VILLAGE_B = "522301001001", "522301001002"
EXPORT = reverse_lazy("core:list_export", args=["audit.trail"])  # the Excel export of every list


def _move(user, person: Person, code: str) -> LogEntry:
    """Move a file to another village through the service the edit page uses, as the middleware would."""
    with set_actor(user, remote_addr="10.1.2.3"):
        person_update(actor=user, person=person, name=person.name, region=Region.objects.get(code=code))
    return LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).latest("pk")


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _table(rows: list[list[str]]) -> list[dict]:
    """The CSV's table below its header (the lines above it name the filters)."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == "时间")
    return [dict(zip(rows[start], row, strict=True)) for row in rows[start + 1 :]]


def test_a_changed_foreign_key_reads_as_the_names_in_the_page_and_both_exports(client, users, trail_rows):
    person = make_person(code=VILLAGE_A, name="张大爷")
    _move(users["worker"], person, VILLAGE_B)
    old, new = (Region.objects.get(code=c).name for c in (VILLAGE_A, VILLAGE_B))
    expected = f"居住村（社区）: {old} → {new}"
    verified_login(client, users["auditor"])

    rows = trail_rows({"q": "张大爷"})
    assert expected in rows[0]["changes"] and VILLAGE_B not in rows[0]["changes"]

    table = _table(_csv_rows(client.get(reverse("audit:export"), {"q": "张大爷"})))
    assert [row["变更字段"] for row in table if row["事件"] == "修改"] == [rows[0]["changes"]]

    sheet = load_workbook(io.BytesIO(b"".join(client.get(EXPORT, {"q": "张大爷"}))))
    cells = [c.value for row in sheet.worksheets[0].iter_rows(min_row=2) for c in row]
    assert rows[0]["changes"] in cells


def test_a_record_deleted_since_reads_as_its_id_marked_deleted(users):
    person = make_person(code=VILLAGE_A)
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Person),
        object_pk=str(person.pk),
        object_id=person.pk,
        object_repr=str(person),
        action=LogEntry.Action.UPDATE,
        changes={"region": ["999999999999", VILLAGE_A]},
    )
    with override("zh-hans"):
        [row] = present_all([entry])
    assert "#999999999999（已删除）" in row["changes"]


def test_names_are_looked_up_per_page_not_per_row(users):
    people = [make_person(code=VILLAGE_A, name=f"测试{n}") for n in range(30)]
    entries = [_move(users["worker"], person, VILLAGE_B) for person in people]
    with CaptureQueriesContext(connection) as few:
        present_all(
            LogEntry.objects.filter(pk__in=[e.pk for e in entries[:3]]).select_related(
                "actor", "content_type"
            )
        )
    with CaptureQueriesContext(connection) as many:
        rows = present_all(
            LogEntry.objects.filter(pk__in=[e.pk for e in entries]).select_related("actor", "content_type")
        )
    assert len(many) == len(few)
    assert all(str(Region.objects.get(code=VILLAGE_B)) in row["changes"] for row in rows)


def test_every_field_the_trail_records_has_a_chinese_name():
    """Every tracked field of every registered model, and the model itself, reads in Chinese: no “created at”,
    no “decided by”."""
    english = []
    with override("zh-hans"):
        for model in auditlog.get_models():
            tracked = auditlog.get_model_fields(model)
            names = [str(model._meta.verbose_name)]
            for field in model._meta.concrete_fields:
                if field.primary_key or field.name in tracked["exclude_fields"]:
                    continue
                if tracked["include_fields"] and field.name not in tracked["include_fields"]:
                    continue
                names.append(str(field.verbose_name))
            english += [f"{model._meta.label}: {name}" for name in names if re.search(r"[A-Za-z]{2,}", name)]
    assert english == []


def test_the_decision_on_an_approval_reads_in_chinese_and_local_time(client, users, trail_rows):
    from shegong.casework.models import Approval

    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Approval),
        object_pk="1",
        object_id=1,
        object_repr="申请结案",
        action=LogEntry.Action.UPDATE,
        changes={
            "decided_at": ["None", "2026-12-06 06:03:21.123456"],
            "decided_by": ["None", str(users["worker"].pk)],
        },
        timestamp=dt.datetime(2026, 12, 6, 6, 3, 21, 654321, tzinfo=dt.UTC),
        remote_addr="10.1.2.3",
    )
    verified_login(client, users["auditor"])
    [row] = [r for r in trail_rows() if r["object"] == entry.object_repr]
    assert row["time"] == "2026-12-06 14:03:21"  # Asia/Shanghai, no microseconds
    assert row["changes"] == f"审批时间: — → 2026-12-06 14:03:21；审批人: — → {users['worker']}"
    table = _table(_csv_rows(client.get(reverse("audit:export"))))
    assert {"时间": "2026-12-06 14:03:21", "IP地址": "10.1.2.3", "结果": "成功"}.items() <= next(
        r for r in table if r["对象"] == "申请结案"
    ).items()


def test_a_failed_login_row_has_the_address_and_the_outcome(client, users, trail_rows):
    client.post(
        reverse("accounts:login"), {"username": "county", "password": "wrong"}, REMOTE_ADDR="198.51.100.7"
    )
    verified_login(client, users["auditor"])
    rows = trail_rows({"event": "login_failed"})
    assert [(r["user"], r["ip"], r["outcome"]) for r in rows] == [("county", "198.51.100.7", "失败")]


def test_one_import_yields_exactly_one_audit_row_with_address_and_outcome(
    client, users, django_capture_on_commit_callbacks
):
    from shegong.regions.tests.test_population_import import _sheet, _upload

    verified_login(client, users["county"])
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    # Through the import engine's page: the check writes no audit row, the confirmed write one.
    _upload(client, _sheet([["522301001", "", 45000, 2024]]), capture=django_capture_on_commit_callbacks)
    events = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")[before:]
    assert [e.additional_data["event"] for e in events] == ["import"]
    assert (events[0].remote_addr, events[0].additional_data["outcome"]) == ("127.0.0.1", "success")


def test_a_people_import_writes_one_row_in_all(client, users, django_capture_on_commit_callbacks):
    """The people ledger is written in bulk (no row per file): the import's own row is the only one."""
    from shegong.clients.tests.factories import id_number
    from shegong.clients.tests.test_imports import _headers, _people_headers, _sheet
    from shegong.clients.tests.test_imports import _upload as _upload_people

    verified_login(client, users["worker"])
    by_key = _people_headers()
    values = {
        by_key["name"]: "张大爷",
        by_key["id_number"]: id_number("19400101"),
        by_key["region"]: VILLAGE_A,
    }
    headers = _headers(client)
    data = _sheet(headers, [[values.get(h, "") for h in headers]])
    before = LogEntry.objects.count()
    _upload_people(client, data, capture=django_capture_on_commit_callbacks)
    assert Person.objects.filter(name="张大爷").exists()
    [entry] = LogEntry.objects.order_by("pk")[before:]
    assert entry.additional_data["event"] == "import" and entry.remote_addr == "127.0.0.1"


def test_the_excel_export_opens_has_the_rows_and_names_its_filters(client, users):
    from shegong.audit.services import Event, audit_event

    for _ in range(3):
        audit_event(event=Event.LOGIN, user=users["county"])
    audit_event(event=Event.LOGIN, user=users["worker"])
    verified_login(client, users["auditor"])
    response = client.get(EXPORT, {"q": "county", "event": "login", "date_from": "2020-01-01"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response)))
    table, about = workbook.worksheets
    rows = list(table.iter_rows(values_only=True))
    assert rows[0][:4] == ("时间", "用户", "IP地址", "事件")
    assert [(r[1], r[3], r[7]) for r in rows[1:]] == [("county", "登录", "成功")] * 3
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", r[0]) for r in rows[1:])
    filters = dict(about.iter_rows(values_only=True))
    assert filters["筛选条件：事件"] == "登录" and filters["筛选条件：从"] == "2020-01-01"
    assert "county" in filters.values()
    assert (
        LogEntry.objects.filter(additional_data__event="export", additional_data__what="audit.trail").count()
        == 1
    )


def test_a_people_export_writes_one_row_with_the_address_it_was_asked_from(client, users):
    verified_login(client, users["county"])
    before = LogEntry.objects.count()
    client.get(reverse("core:list_export", args=["clients.people"]), REMOTE_ADDR="192.0.2.44")
    [entry] = LogEntry.objects.order_by("pk")[before:]
    assert (entry.additional_data["event"], entry.additional_data["outcome"], entry.remote_addr) == (
        "export",
        "success",
        "192.0.2.44",
    )


def test_event_rows_say_what_happened_in_chinese(users):
    from shegong.audit.services import Event, audit_event

    person = make_person(code=VILLAGE_A)
    shown = audit_event(event=Event.VIEW, user=users["county"], obj=person, detail={"revealed": "id_number"})
    failed = audit_event(
        event=Event.LOGIN_FAILED, username="county", outcome="failure", detail={"reason": "two_factor"}
    )
    with override("zh-hans"):
        rows = present_all([shown, failed])
    assert [(r["event"], r["changes"], r["outcome"]) for r in rows] == [
        ("明文查看", "明文查看字段: 身份证号", "成功"),
        ("登录失败", "失败原因: 动态口令错误", "失败"),
    ]


def test_categories_added_to_a_file_read_as_their_names(users):
    from shegong.clients.models import Category

    person = make_person(code=VILLAGE_A, name="李奶奶")
    category = Category.objects.get(name="低保")
    with set_actor(users["worker"]):
        person_update(
            actor=users["worker"],
            person=person,
            name=person.name,
            region=person.region,
            categories=[category],
        )
    entries = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE)
    with override("zh-hans"):
        changes = [row["changes"] for row in present_all(entries.select_related("actor", "content_type"))]
    assert any("新增 低保" in text for text in changes), changes


def test_a_new_record_lists_its_own_fields_not_the_records_that_point_at_it(users):
    worker = make_worker(region="522301001", name="审计测试社工")
    entry = LogEntry.objects.get_for_object(worker).filter(action=LogEntry.Action.CREATE).latest("pk")
    assert set(entry.changes_dict) & {"certificates", "assignments"}  # auditlog records the reverse side
    with override("zh-hans"):
        row = present_all([entry])[0]
    text = str(row)
    assert "审计测试社工" in text
    assert ".None" not in text and "certificates" not in text and "assignments" not in text
    assert Worker.objects.filter(pk=worker.pk).exists()
