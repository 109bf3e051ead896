"""The visit ledger a county acts on: township, station, responsible worker and category columns; summaries per
station that equal the station's drill-down; sorting by days overdue; Excel export with masked ID numbers."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from shegong.clients import ledger
from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, VILLAGE, make_person
from shegong.jobs.models import Job
from shegong.testing import verified_login
from shegong.workbench.tests.factories import TOWNSHIP, station

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _overdue(name, code=VILLAGE, days=200, **fields):
    return make_person(
        code, name=name, risk_level="key", registered_on=TODAY - dt.timedelta(days=days), **fields
    )


def _client(user):
    client = Client()
    verified_login(client, user)
    return client


def test_ledger_shows_township_station_worker_and_category_most_overdue_first(users):
    own = station(TOWNSHIP)
    _overdue("甲较近", days=100, responsible=users["worker"], categories=["特困"])
    _overdue("乙最久", days=300)
    html = _client(users["county"]).get("/people/visits/due/?status=overdue").content.decode()
    table = html[html.index('data-testid="ledger"') :]
    assert own.name in table and "特困" in table and users["worker"].full_name in table
    assert table.index("乙最久") < table.index("甲较近")
    by_name = _client(users["county"]).get("/people/visits/due/?status=overdue&sort=name").content.decode()
    assert 'data-testid="ledger"' in by_name


def test_station_summary_equals_the_station_drill_down_and_leaves_other_counties_out(users):
    own = station(TOWNSHIP)
    for n in range(3):
        _overdue(f"逾期{n}")
    _overdue("外县", code=OTHER_COUNTY_VILLAGE)
    rows = ledger.summary(user=users["county"], length=9)
    assert [(r.code, r.overdue, r.station) for r in rows] == [(TOWNSHIP, 3, own)]
    html = (
        _client(users["county"]).get(f"/people/visits/due/?station={own.pk}&status=overdue").content.decode()
    )
    assert re.search(r'data-testid="ledger-count" data-count="3"', html)
    county_rows = ledger.summary(user=users["prefecture"], length=6)
    assert {r.code: r.overdue for r in county_rows} == {"522301": 3, "522302": 1}


def test_ledger_due_date_in_sql_agrees_with_python(users):
    person = _overdue("对照", days=77)
    row = ledger.ledger(user=users["county"], status="all").get(pk=person.pk)
    from shegong.clients import visiting

    assert row.due_date == visiting.status_of(row, TODAY).due_on


def test_ledger_export_masks_id_numbers(users, django_capture_on_commit_callbacks):
    _overdue("导出人", responsible=users["worker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(users["county"]).post("/people/visits/due/export/", {"status": "overdue"})
    assert response.status_code == 302
    job = Job.objects.get(kind="clients.visit_ledger_export")
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    from shegong.jobs.selectors import job_output_pieces

    data = b"".join(job_output_pieces(job))
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "导出人"
    assert "*" in rows[1][1]  # masked
    assert rows[1][7] == users["worker"].full_name


# How the ledger page printed its rows with the template language before clients/ledger.py cards_html and
# table_html (the page prints each row twice: a card on a phone, a table row on a desktop).
CARDS_TEMPLATE = """{% load i18n %}{% for row in rows %}{% with person=row.person st=row.status %}
  <div class="card mb-2"><div class="card-body p-2">
    <div class="d-flex align-items-start gap-2">
      <div class="me-auto">
        <a class="fw-bold" href="{{ row.url }}">{{ person.name }}</a>
        <span class="badge {{ row.risk_badge }}">{{ person.get_risk_level_display }}</span>
        <div class="small text-muted">{{ row.township }} · {{ person.region.name }}</div>
        <div class="small">{% for c in row.categories %}<span class="badge text-bg-light border">{{ c }}</span> {% endfor %}</div>
        <div class="small">{% translate "Next visit due" %}: {{ st.due_on|date:"Y-m-d" }}{% if st.overdue %} <span class="badge text-bg-danger">{% blocktranslate with n=st.overdue_days %}overdue by {{ n }} days{% endblocktranslate %}</span>{% endif %}</div>
        <div class="small text-muted">{% translate "Responsible worker" %}: {{ row.worker|default:"—" }}</div>
      </div>
      {% if can_edit %}<a class="btn btn-sm btn-primary" href="{{ row.visit_url }}">{% translate "Record visit" %}</a>{% endif %}
    </div>
  </div></div>
  {% endwith %}{% empty %}<p class="text-muted">{% translate "Nobody is in this list." %}</p>{% endfor %}"""  # noqa: E501
TABLE_TEMPLATE = """{% load i18n %}{% for row in rows %}{% with person=row.person st=row.status %}<tr>
    <td><a href="{{ row.url }}">{{ person.name }}</a></td>
    <td>{{ row.township }}</td>
    <td>{% if row.station %}{{ row.station.name }}{% else %}—{% endif %}</td>
    <td>{{ person.region.name }}</td>
    <td class="text-wrap">{{ row.categories|join:"、"|default:"—" }}</td>
    <td><span class="badge {{ row.risk_badge }}">{{ person.get_risk_level_display }}</span></td>
    <td>{{ row.worker|default:"—" }}</td>
    <td>{{ st.last_visit|date:"Y-m-d"|default:"—" }}</td>
    <td>{{ st.due_on|date:"Y-m-d" }}{% if st.overdue %} <span class="badge text-bg-danger">{% blocktranslate with n=st.overdue_days %}overdue by {{ n }} days{% endblocktranslate %}</span>{% endif %}</td>
    <td class="text-end">{% if can_edit %}<a class="btn btn-sm btn-primary" href="{{ row.visit_url }}">{% translate "Record visit" %}</a>{% endif %}</td>
  </tr>{% endwith %}{% empty %}<tr><td colspan="10" class="text-muted">{% translate "Nobody is in this list." %}</td></tr>{% endfor %}"""  # noqa: E501


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_the_ledger_rows_print_as_the_template_did_on_a_phone_and_a_desktop(users):
    from django.template import Context, Template
    from django.utils import translation

    from shegong.clients.services import visit_create

    station(TOWNSHIP)
    _overdue("甲<b>逾期", days=300, responsible=users["worker"], categories=["特困", "低保"])
    visited = _overdue("乙已访", days=30)
    visit_create(
        actor=users["worker"],
        person=visited,
        visited_on=TODAY - dt.timedelta(days=2),
        mode="home",
        findings="好",
    )
    rows = ledger.decorate(ledger.ledger(user=users["county"], status="all").prefetch_related("categories"))
    assert len(rows) == 2 and any(r.status.overdue for r in rows) and any(r.status.last_visit for r in rows)
    with translation.override("zh-hans"):
        for can_edit in (True, False):
            context = Context({"rows": rows, "can_edit": can_edit})
            cards, table = ledger.cards_html(rows, can_edit), ledger.table_html(rows, can_edit)
            assert _tags(cards) == _tags(Template(CARDS_TEMPLATE).render(context))
            assert _tags(table) == _tags(Template(TABLE_TEMPLATE).render(context))
            assert "甲&lt;b&gt;逾期" in cards and "逾期" in table and "特困" in cards
        empty = Context({"rows": [], "can_edit": True})
        assert _tags(ledger.cards_html([], True)) == _tags(Template(CARDS_TEMPLATE).render(empty))
        assert _tags(ledger.table_html([], True)) == _tags(Template(TABLE_TEMPLATE).render(empty))
