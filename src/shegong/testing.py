"""Helpers for tests (imported by tests only)."""

import itertools
import threading
from dataclasses import dataclass, field

from django.db import close_old_connections, connection
from django.template import Context, Template

from shegong.accounts.models import User
from shegong.accounts.roles import Role
from shegong.accounts.services import user_create
from shegong.regions.models import Region

PASSWORD = "Test-Passw0rd!"

# The permission matrix's cast: role name -> (role, jurisdiction code).
MATRIX_USERS = {
    "sysadmin": (Role.SYSADMIN, None),
    "auditor": (Role.AUDITOR, None),
    "security": (Role.SECURITY, None),
    "province": (Role.ADMIN, "52"),
    "prefecture": (Role.ADMIN, "5223"),
    "county": (Role.ADMIN, "522301"),
    "county2": (Role.ADMIN, "522302"),
    "worker": (Role.WORKER, "522301001"),
    "leader": (Role.LEADER, "5223"),
}
MATRIX_ROLES = ["anon", *MATRIX_USERS]
# The regional roles of the matrix by what they do with the data of their jurisdiction: every one reads it, the
# leader only reads, the administrators also manage (network, approvals, rules). county2 is 522301's sibling.
VIEWERS = ["province", "prefecture", "county", "county2", "worker", "leader"]
EDITORS = ["province", "prefecture", "county", "county2", "worker"]
ADMINS = ["province", "prefecture", "county", "county2"]


def every(roles, status: int = 200) -> dict:
    """``status`` for each of ``roles``."""
    return {r: status for r in roles}


def sees(roles, status: int = 200) -> dict:
    """A row of township 522301001: ``roles`` get ``status`` but county2, the sibling county, gets 404 (it finds
    nothing there); the roles left out get the route's default (403)."""
    return {**{r: status for r in roles if r != "county2"}, "county2": 404}


# Who reads county 522301 (200) and who finds nothing there (404): the sysadmin, the roles at or above it and the
# prefecture's leader read it; the sibling county and the worker of one of its townships do not.
READS_522301 = {
    "sysadmin": 200,
    "province": 200,
    "prefecture": 200,
    "county": 200,
    "county2": 404,
    "worker": 404,
    "leader": 200,
}


def make_user(username: str, role: str, code: str | None) -> User:
    return user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role=role,
        jurisdiction=Region.objects.get(code=code) if code else None,
        full_name=username,
        must_change_password=False,
    )


def make_matrix_users() -> dict[str, User]:
    return {name: make_user(name, role, code) for name, (role, code) in MATRIX_USERS.items()}


def make_demo(*, people: int) -> dict[str, User]:
    """The matrix users and the demo data of 黔西南州: the network, the workforce, ``people`` files with their
    casework, 60 volunteers and the projects."""
    from shegong.casework.demo import demo_casework
    from shegong.community.demo import demo_community
    from shegong.network.demo import demo_network
    from shegong.projects.demo import demo_projects
    from shegong.workforce.demo import demo_workforce

    users = make_matrix_users()
    demo_network()
    demo_workforce()
    demo_casework(people=people)
    demo_community(volunteers=60)
    demo_projects()
    return users


@dataclass
class Route:
    """One request of the permission matrix and the status each role must get.

    ``expect`` maps a role name (see MATRIX_ROLES) to a status code; roles left out get ``default``.
    ``setup`` may create the objects the route needs and return extra URL kwargs."""

    kwargs: dict = field(default_factory=dict)
    expect: dict = field(default_factory=dict)
    default: int = 403
    method: str = "get"
    data: dict | None = None
    setup: object = None
    note: str = ""

    @classmethod
    def post(cls, data: dict | None = None, **fields) -> "Route":
        """A POST of ``data`` (None: an empty body); ``fields`` as the route's others."""
        return cls(method="post", data=data, **fields)

    def status_for(self, role: str, *, api: bool) -> int:
        if role in self.expect:
            return self.expect[role]
        if role == "anon":
            return 401 if api else 302
        return self.default


def race(jobs) -> list:
    """Run the callables at once, each in its own thread and database connection (a transactional test on
    PostgreSQL); return what each raised, or None."""
    barrier = threading.Barrier(len(jobs))
    outcome: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            job()
        except Exception as exc:  # noqa: BLE001 — the test inspects every outcome
            outcome[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcome


def verified_login(client, user) -> None:
    """Log ``client`` in as ``user``, with a verified second factor when the role needs one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.needs_two_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def bearer(user) -> dict:
    """The header of an API request made with a new token of ``user``: ``client.get(url, **bearer(user))``."""
    from knox.models import AuthToken

    return {"HTTP_AUTHORIZATION": f"Bearer {AuthToken.objects.create(user)[1]}"}


# --- Lists: the page, the API list and the export hold the same rows (lib/lists.py) --------------------------

OWN_TOWNSHIP, SIBLING_TOWNSHIP = "522301001", "522302001"  # townships of two sibling counties


def _workbook_text(content: bytes) -> tuple[str, str]:
    """(the data sheets' cells, the about sheet's cells) of an exported workbook, as text."""
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content), read_only=True)
    sheets = [
        "\n".join(" ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True))
        for sheet in book.worksheets
    ]
    return "\n".join(sheets[:-1]), sheets[-1]


# How includes/table.html printed a list's rows with the template language before ListTable.rows_html.
ROWS_TEMPLATE = (
    "{% for row in table.paginated_rows %}"
    "<tr {{ row.attrs.as_html }}>{% for column, cell in row.items %}"
    '<td {{ column.attrs.td.as_html }} data-label="{{ column.header }}">{{ cell }}</td>{% endfor %}</tr>'
    "{% empty %}"
    '<tr class="list-empty"><td colspan="{{ table.columns|length }}" class="text-muted">{{ table.empty_text }}</td></tr>'
    "{% endfor %}"
)


def assert_rows_as_template(table) -> None:
    """ListTable.rows_html prints the rows cell for cell as the template language did (values localised and
    escaped, the columns' and rows' attributes, the headers as phone-card labels)."""
    table._counter = itertools.count()  # django-tables2 numbers the rows it yields (even/odd) per table
    expected = Template(ROWS_TEMPLATE).render(Context({"table": table}))
    table._counter = itertools.count()
    got = table.rows_html()
    assert got == expected, [
        (i, a, b) for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b
    ][:3]


def assert_list_scoped(
    client, users, list_name: str, *, page: str | None, api: str | None, seed, narrow: dict
) -> None:
    """The proof that one list keeps to its county and that its filters work the same everywhere.

    ``seed(township, mark, matches)`` records one row in the township whose page, API and export show the
    text ``mark``; a row made with ``matches=True`` answers the query parameters ``narrow``, one with
    ``matches=False`` does not. Rows go into a township of county 522301 and of its sibling 522302; the
    county administrator of 522301 then reads the page (``page``: a URL name), the API list (``api``: a path)
    and the export of ``list_name`` (a list without a page or an API passes None): each holds both own rows and none of the sibling's, and with ``narrow``
    each holds only the matching row. The export names the filter and writes one audit row."""
    ours, other, ours_not = "甲本县行", "丙邻县行", "乙本县行"
    seed(OWN_TOWNSHIP, ours, True)
    seed(OWN_TOWNSHIP, ours_not, False)
    seed(SIBLING_TOWNSHIP, other, True)
    assert_list_filters(
        client, users["county"], list_name, page=page, api=api, narrow=narrow, rows=(ours, ours_not, other)
    )


def list_scope_test(lists: dict):
    """The test, one case a list, that each of ``lists`` keeps to its county and filters the same rows
    everywhere (assert_list_scoped). ``lists`` maps a list's name to ``(page, api, seed, narrow)``, the arguments
    of assert_list_scoped; a domain's test module holds it as ``test_... = list_scope_test(LISTS)``."""
    import pytest

    @pytest.mark.parametrize("list_name", lists)
    def test(users, client, list_name):
        page, api, seed, narrow = lists[list_name]
        assert_list_scoped(client, users, list_name, page=page, api=api, seed=seed, narrow=narrow)

    return test


def assert_list_filters(
    client, user, list_name: str, *, page: str | None, api: str | None, narrow: dict, rows: tuple
) -> None:
    """``user`` reads the page, the API list and the export of ``list_name``: each holds the rows marked
    ``rows[0]`` and ``rows[1]`` and not ``rows[2]`` (the sibling county's; ``None`` for a list of the national
    roles, which is not scoped); with the query parameters ``narrow`` each holds only ``rows[0]``. The export
    names the filter and writes one audit row."""
    import json

    from auditlog.models import LogEntry
    from django.urls import reverse

    from shegong.lib.lists import definition_get

    ours, ours_not, other = rows
    verified_login(client, user)
    token = bearer(user) if api else {}
    export_url = reverse("core:list_export", args=[list_name])

    def read(params: dict) -> dict[str, str]:
        got = {}
        if page:
            response = client.get(reverse(page), params)
            assert response.status_code == 200, (page, response.status_code)
            got["page"] = response.content.decode()
            assert_rows_as_template(response.context["table"])
        if api:
            response = client.get(api, params, **token)
            assert response.status_code == 200, (api, response.status_code, response.content[:300])
            got["api"] = json.dumps(response.json()["results"], ensure_ascii=False)
        response = client.get(export_url, params)
        assert response.status_code == 200, (export_url, response.status_code)
        got["export"], got["about"] = _workbook_text(response.content)
        return got

    leaked = "the sibling county's row leaked"
    for where, text in read({}).items():
        if where != "about":
            assert ours in text and ours_not in text, f"{list_name} {where}: own rows missing"
            assert other is None or other not in text, f"{list_name} {where}: {leaked}"
    narrowed = read(narrow)
    for where, text in narrowed.items():
        if where != "about":
            assert ours in text, f"{list_name} {where}: the matching row is missing under {narrow}"
            assert ours_not not in text, f"{list_name} {where}: the filter {narrow} did not narrow"
            assert other is None or other not in text, f"{list_name} {where}: {leaked}"
    filters = definition_get(list_name).filterset.base_filters
    for name in narrow:
        assert str(filters[name].label) in narrowed["about"], f"{list_name}: the file does not name {name}"
    audit = LogEntry.objects.filter(actor=user, additional_data__event="export").order_by("-id").first()
    assert audit is not None and audit.additional_data["what"] == list_name, f"{list_name}: no audit row"
    assert audit.additional_data["filters"], f"{list_name}: the audit row does not name the filters"
