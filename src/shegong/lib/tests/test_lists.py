"""The one list mechanism (lib/lists.py), shown on the community's volunteers: page sorting and sizes, a bad
filter named in the API, a region outside the jurisdiction refused, every row exported (no cap), masked unless
the clear export is asked for with a purpose, large exports run as a job, every export audited."""

from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from knox.models import AuthToken
from openpyxl import load_workbook

from shegong.community.tests.factories import make_volunteer
from shegong.jobs.models import Job
from shegong.testing import verified_login

pytestmark = pytest.mark.django_db
EXPORT = reverse("core:list_export", args=["community.volunteers"])
CLEAR = reverse("core:list_export_clear", args=["community.volunteers"])


def _sheet(content: bytes):
    book = load_workbook(BytesIO(content))
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)], book.worksheets[-1]


def _last_export(user) -> dict:
    return LogEntry.objects.filter(actor=user, additional_data__event="export").latest("id").additional_data


def test_the_page_sorts_pages_and_offers_page_sizes(users, client):
    for name in ("丁", "甲", "丙", "乙"):
        make_volunteer(name=name)
    verified_login(client, users["county"])
    response = client.get(reverse("community:volunteer_list"), {"sort": "-name", "per_page": "20"})
    table = response.context["table"]
    names = [r.record.name for r in table.page.object_list]
    assert names == sorted(names, reverse=True) and len(names) == 4
    assert response.context["per_page"] == 20
    html = response.content.decode()
    assert 'data-testid="filter-bar"' in html and "查询" in html and "重置" in html
    assert "per_page=100" in html and "sort=-name" in html  # the page-size links keep the sort
    assert 'class="table table-sm table-hover align-middle list-table"' in html  # the cards on a phone
    assert 'data-label="名称"' in html
    # A page size that is not offered falls back to the default; a page past the end shows the last page.
    response = client.get(reverse("community:volunteer_list"), {"per_page": "100000", "page": "99"})
    assert response.status_code == 200 and response.context["per_page"] == 50


def test_the_api_names_a_bad_filter_and_a_region_outside_is_a_404(users, client):
    make_volunteer()
    token = AuthToken.objects.create(users["county"])[1]
    response = client.get("/api/v1/volunteers/", {"status": "nonsense"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400 and "status" in response.json()["errors"]
    response = client.get("/api/v1/volunteers/", {"region": "522302"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404
    verified_login(client, users["county"])
    assert client.get(reverse("community:volunteer_list"), {"region": "522302"}).status_code == 404
    assert client.get(EXPORT, {"region": "522302"}).status_code == 404
    # A bad value in the export's address is a 400 that names the field, not a file of every row.
    response = client.get(EXPORT, {"status": "nonsense"})
    assert response.status_code == 400 and "状态" in response.content.decode()


def test_the_export_is_masked_names_its_filters_and_is_audited(users, client):
    volunteer = make_volunteer(name="王明")
    verified_login(client, users["county"])
    response = client.get(EXPORT, {"q": "王明"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="volunteers-')
    rows, about = _sheet(response.content)
    assert rows[1][0] == "王明"
    assert volunteer.id_number not in str(rows) and "13800001234" not in str(rows)
    assert "********" in str(rows[1])
    about = {r[0]: r[1] for r in about.iter_rows(values_only=True)}
    assert about["筛选条件：姓名、身份证号、电话或后四位"] == "王明"
    assert about["身份证号和电话"] == "已遮蔽"
    audit = _last_export(users["county"])
    assert audit["what"] == "community.volunteers" and audit["rows"] == 1 and audit["clear_pii"] is False


def test_the_clear_export_needs_a_purpose_and_writes_it_to_the_audit_trail(users, client):
    volunteer = make_volunteer(name="王明")
    verified_login(client, users["county"])
    page = client.get(reverse("community:volunteer_list"))
    assert 'data-testid="export-clear"' in page.content.decode()
    assert client.post(CLEAR, {"purpose": "", "q": "王明"}).status_code == 400  # the purpose is required
    response = client.post(CLEAR, {"purpose": "核对志愿者保险名单", "q": "王明"})
    rows, about = _sheet(response.content)
    assert volunteer.id_number in str(rows) and "13800001234" in str(rows)
    audit = _last_export(users["county"])
    assert audit["clear_pii"] is True and audit["purpose"] == "核对志愿者保险名单" and audit["rows"] == 1
    # The leader may see the lists but not personal data in clear: no button, and the address refuses.
    verified_login(client, users["leader"])
    assert (
        'data-testid="export-clear"' not in client.get(reverse("community:volunteer_list")).content.decode()
    )
    assert client.post(CLEAR, {"purpose": "核对志愿者保险名单"}).status_code == 403


def test_every_row_is_exported_and_a_large_export_runs_as_a_job(users, client, monkeypatch):
    from shegong.community.models import Volunteer
    from shegong.lib import lists

    first = make_volunteer(name="甲")
    Volunteer.objects.bulk_create(
        Volunteer(
            name=f"志愿者{i}",
            region_id=first.region_id,
            sex=first.sex,
            birth_date=first.birth_date,
            id_number=first.id_number,
            id_number_hash=f"h{i}",
            id_number_last4=first.id_number_last4,
            registered_on=first.registered_on,
        )
        for i in range(30)
    )
    verified_login(client, users["county"])
    monkeypatch.setattr(lists, "EXPORT_NOW_ROWS", 10)
    page = client.get(EXPORT)
    assert page.status_code == 200 and 'data-testid="export-job"' in page.content.decode()
    response = client.post(EXPORT, {})
    job = Job.objects.get(kind="lists.export")
    assert response.status_code == 302 and response["Location"] == reverse(
        "jobs:detail", kwargs={"job_id": job.pk}
    )
    from shegong.jobs.registry import HANDLERS
    from shegong.jobs.selectors import job_output_pieces

    result = HANDLERS["lists.export"](job, lambda done, total: None)
    assert result["rows"] == 31
    job.refresh_from_db()
    rows, _about = _sheet(b"".join(job_output_pieces(job)))
    assert len(rows) == 32  # the header and every row: no cap
    audit = LogEntry.objects.filter(
        additional_data__event="export", additional_data__kind="lists.export"
    ).get()
    assert audit.additional_data["what"] == "community.volunteers" and audit.additional_data["rows"] == 31


def test_a_list_page_counts_its_rows_once_and_pins_its_queries(users, client):
    """django-tables2 paged the table when it was built with the request, and the list paged it again: two
    capped counts (up to 10,001 rows each) per view. Each page's queries are pinned: the session, the user, the
    verified second factor, the filter's choices (people, services), the one count, the region picker, the rows
    (and the people's categories); no session save (renewed at most once a minute)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shegong.casework.tests.factories import station
    from shegong.clients.tests.factories import make_person

    for name in ("丁", "甲", "丙"):
        make_volunteer(name=name)
        make_person(name=name)
    station()  # a station of the county, without records yet
    verified_login(client, users["county"])
    pages = {
        reverse("community:volunteer_list"): 6,
        reverse("clients:person_list"): 8,
        # No records: no rows to read (the county's facilities are named in the count: _at_its_facilities).
        reverse("casework:service_list"): 6,
    }
    for url, expected in pages.items():
        client.get(url)  # menus and per-process caches warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"sort": "-name"})
        assert response.status_code == 200
        counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
        assert len(counts) == 1, (url, counts)
        if "services" in url:  # a county's records counted by their stations' index, in no order
            assert "ORDER BY" not in counts[0] and '"station_id" IN' in counts[0], counts[0]
        assert len(queries) == expected, (url, [q["sql"][:80] for q in queries])


def test_the_cached_column_signature_answers_as_the_library_does():
    import gc
    import weakref

    import django_tables2.utils as tables_utils

    from shegong.lib import lists

    class Column:
        def render(self, value, table):
            return value

        def value(self, record, **kwargs):
            return record

        @classmethod
        def build(cls, bound_row):
            return bound_row

        @staticmethod
        def plain(value):
            return value

    column = Column()
    callables = [
        column.render,
        column.value,
        Column.build,
        column.plain,
        Column.render,
        lambda record: record,
    ]
    callables.append(lambda *args, value, **rest: value)
    for fn in callables:
        assert lists.cached_signature(fn) == lists._signature(fn), fn
    assert tables_utils.signature is lists.cached_signature  # what django-tables2 calls for every cell
    assert tables_utils.call_with_appropriate(column.render, {"value": 3, "table": None, "record": 1}) == 3
    alive = weakref.ref(column)
    del column, callables, fn
    gc.collect()
    assert alive() is None  # the cache holds functions, not the columns they are bound to


def test_rows_print_as_the_template_did_with_attributes_given_per_record_and_values_escaped():
    """The cells of ListTable.rows_html: a ``td`` class computed from each record, a row class from the
    record, a date and a number localised, markup in a value escaped, a safe value left as it is."""
    import datetime as dt

    import django_tables2 as t
    from django.utils.html import format_html

    from shegong.lib.lists import ListTable
    from shegong.testing import assert_rows_as_template

    class Loans(ListTable):
        name = t.Column(
            "名称", attrs={"td": {"class": lambda record: "text-danger" if record["late"] else ""}}
        )
        due = t.Column("到期")
        amount = t.Column("金额")
        link = t.Column("链接", empty_values=())

        class Meta:
            row_attrs = {"data-late": lambda record: "1" if record["late"] else "0"}

        def render_link(self, record):
            return format_html('<a href="/loans/{}/">看</a>', record["name"])

    rows = [
        {"name": "<b>甲</b>", "due": dt.date(2026, 12, 5), "amount": 12345, "late": True},
        {"name": "乙", "due": None, "amount": 7, "late": False},
    ]
    table = Loans(rows)
    html = table.rows_html()
    assert "&lt;b&gt;甲&lt;/b&gt;" in html and '<a href="/loans/乙/">看</a>' in html
    assert 'class="text-danger"' in html and 'data-late="1"' in html
    assert_rows_as_template(table)
    assert 'colspan="4"' in Loans([]).rows_html()
    assert_rows_as_template(Loans([]))


def test_model_rows_print_through_the_quick_path_as_the_template_did(users):
    """lib/lists.py _cell_printer: the cells of model rows printed without django-tables2's per-cell path —
    a field through a relation, a relation that is empty (the default), a choice's label, dates (one given,
    one empty), a masked ID number, a link, a ``render_<name>`` of ``pk`` and of a choice — print as the
    template printed them, and each of those columns takes the quick path."""
    import datetime as dt

    import django_tables2 as t
    from django.utils.html import format_html

    from shegong.clients.models import Person
    from shegong.clients.tests.factories import make_person
    from shegong.lib.lists import ListTable, PiiColumn, _cell_printer
    from shegong.testing import assert_rows_as_template

    class People(ListTable):
        name = t.Column("姓名", linkify=("clients:person_detail", [t.A("pk")]))
        id_number = PiiColumn("id_number", verbose_name="身份证号")
        village = t.Column("村", accessor="region__name")
        county = t.Column("上级", accessor="region__parent__name")
        worker = t.Column("责任人", accessor="responsible__username")
        sex = t.Column("性别")
        risk_level = t.Column("风险")
        born = t.DateColumn(verbose_name="出生", accessor="birth_date", format="Y-m-d")
        closed = t.DateColumn(verbose_name="结案", accessor="closed_on", format="Y-m-d")
        action = t.Column("", accessor="pk", orderable=False)

        def render_action(self, record):
            return format_html('<a href="/x/{}/">看</a>', record.pk)

        def render_risk_level(self, value, record):
            return format_html('<span class="badge">{}</span>', value)

    make_person(name="<i>甲</i>", risk_level="key", birth_date=dt.date(1950, 3, 1), id_number="")
    make_person(name="乙", responsible=users["worker"])
    table = People(Person.objects.select_related("region", "region__parent", "responsible").order_by("pk"))
    table.paginate(per_page=50)
    html = table.rows_html()
    assert "&lt;i&gt;甲&lt;/i&gt;" in html and "重点" in html and "1950-03-01" in html
    assert users["worker"].username in html and "—" in html  # the empty relation's default
    assert_rows_as_template(table)
    first = next(iter(table.paginated_rows)).record
    quick = {c.name for c in table.columns if _cell_printer(table, c, first) is not None}
    assert quick == {c.name for c in table.columns}
