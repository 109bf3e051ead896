"""The entities declared last (lib/inputs.py): the case record, the volunteer team, the group, the deliberation
meeting, the facility and the agency. For each, the surfaces it has — the page, the API, the ledger — take their
limits from the one declaration, refuse the same bad value with a Chinese message on that field, and take a
valid one (the write is on file)."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from knox.models import AuthToken

from shegong.casework.api import CaseRecordInput
from shegong.casework.forms import STAGE_FORMS
from shegong.casework.inputs import CASE_OPEN, CASE_RECORD
from shegong.casework.models import Case
from shegong.casework.tests.factories import make_case
from shegong.community.api import TeamInput
from shegong.community.api_records import DeliberationInput, GroupInput
from shegong.community.forms import DeliberationForm, GroupForm, IssueCloseForm, IssueForm, TeamForm
from shegong.community.inputs import DELIBERATION, GROUP, ISSUE, TEAM
from shegong.community.models import Deliberation, DeliberationIssue, Team, WorkGroup
from shegong.community.tests.factories import station
from shegong.jobs.models import Job
from shegong.jobs.services import job_start
from shegong.lib.importer.engine import IMPORT_KIND, check_file
from shegong.lib.importer.ledger import LEDGERS
from shegong.lib.importer.tests.corpus import xlsx
from shegong.network.api import StationSerializer
from shegong.network.forms import FacilityCreateForm, FacilityDetailsForm
from shegong.network.inputs import FACILITY
from shegong.network.models import Facility
from shegong.workforce.api import AgencyInput
from shegong.workforce.forms import AgencyForm
from shegong.workforce.inputs import AGENCY
from shegong.workforce.models import Agency

CHINESE = re.compile("[\u4e00-\u9fff]")
TODAY = timezone.localdate().isoformat()
TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def _limits(field) -> tuple:
    """What a form field, a serializer field or a ledger column says of a value's limits."""
    choices = getattr(field, "choices", None) or []
    values = {str(value) for value, _label in (choices.items() if isinstance(choices, dict) else choices)}
    return (
        getattr(field, "max_length", None),
        getattr(field, "min_value", None),
        getattr(field, "max_value", None),
        values - {""},
    )


# (declaration, the page's forms, the API's serializer or None, the ledger or None, the ledger's own columns)
SURFACES = {
    "case record": (CASE_RECORD, list(STAGE_FORMS.values()), CaseRecordInput, None, set()),
    "team": (TEAM, [TeamForm], TeamInput, None, set()),
    "group": (GROUP, [GroupForm], GroupInput, None, set()),
    "deliberation": (DELIBERATION, [DeliberationForm], DeliberationInput, "community.deliberations", set()),
    "issue": (ISSUE, [IssueForm, IssueCloseForm], None, "community.deliberations", {"outcome"}),
    # The level and the status of a facility: optional in the ledger on purpose (network/inputs.py).
    "facility": (
        FACILITY,
        [FacilityCreateForm, FacilityDetailsForm],
        StationSerializer,
        "network.stations",
        {"kind", "status"},
    ),
    # The credit code: a column of its own kind in the ledger (read and checked by credit_code_clean).
    "agency": (AGENCY, [AgencyForm], AgencyInput, "workforce.agencies", {"credit_code"}),
}


@pytest.mark.parametrize("entity", sorted(SURFACES))
def test_each_surface_carries_the_declared_limits(entity):
    declaration, forms, serializer, ledger_key, own = SURFACES[entity]
    api = serializer().fields if serializer else {}
    ledger = {f.key: f for f in LEDGERS[ledger_key].fields} if ledger_key else {}
    compared, checked = 0, 0
    for name, spec in declaration.specs.items():
        if spec.kind in ("ref", "bool"):
            continue
        checked += 1
        declared = _limits(spec)
        on_pages = [form.base_fields[name] for form in forms if name in form.base_fields]
        assert on_pages or spec.form is False, name
        for field in on_pages:
            assert _limits(field)[0] == declared[0] and _limits(field)[3] == declared[3], name
            if spec.kind == "int":
                assert _limits(field)[1:3] == declared[1:3], name
            compared += 1
        if name in api and spec.api is None:
            assert _limits(api[name]) == declared, name
            assert api[name].required == declaration.required_in_api(name), name
            compared += 1
        column = ledger.get(name)
        if column is not None and column.kind in ("text", "int", "choice") and name not in own:
            assert _limits(column) == declared, name
            assert column.required == declaration.required_in_api(name), name
            compared += 1
    assert compared >= checked > 0


def test_a_case_record_refuses_on_the_page_what_the_api_refuses():
    """The presenting problem: 4,000 characters when the case is opened, on the intake page and by PATCH."""
    intake = STAGE_FORMS["intake"].base_fields["presenting_problem"]
    assert intake.max_length == CaseRecordInput().fields["presenting_problem"].max_length == 4000
    assert CASE_OPEN.limits("presenting_problem").max_length == 4000
    # A PATCH writes what it is given: nothing is required, and no default overwrites a field left out.
    assert not any(f.required for f in CaseRecordInput().fields.values())
    empty = CaseRecordInput(data={})
    assert empty.is_valid() and empty.validated_data == {}


# --- the same bad value refused, a good one written ---------------------------------------------------------


def _chinese(messages) -> bool:
    return bool(messages) and all(CHINESE.search(str(m)) for m in messages)


def _sender(client, user):
    """``send(method, url, body)``: a JSON request to the API as ``user``, in Chinese."""
    token = AuthToken.objects.create(user)[1]

    def send(method: str, url: str, body: dict):
        return getattr(client, method)(
            url,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )

    return send


@pytest.fixture
def api(client, users):
    return _sender(client, users["county"])


@pytest.fixture
def sibling(client, users):
    """The API as the administrator of county 522302, 522301's sibling."""
    return _sender(client, users["county2"])


@pytest.fixture
def page(login, users):
    """POST to a page as the county's administrator; the response and the form's errors (none: taken)."""
    client = login(users["county"])

    def post(url: str, data: dict, form: str = "form"):
        with translation.override("zh-hans"):
            response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code == 302:
            return response, {}
        return response, response.context[form].errors

    return post


@pytest.fixture
def ledger(users, django_capture_on_commit_callbacks):
    """``ledger(key, rows)``: the errors of the rows' check ({field: [error]}), and ``ledger(key, rows,
    commit=True)`` imports them (the Job)."""

    def run(key: str, rows: list, *, commit: bool = False):
        data = xlsx(rows)
        if not commit:
            with translation.override("zh-hans"):
                outcome = check_file(user=users["county"], ledger=LEDGERS[key], data=data)
            found: dict = {}
            for error in outcome.errors():
                found.setdefault(error["field"], []).append(error)
            return found
        with django_capture_on_commit_callbacks(execute=True):
            job = job_start(
                actor=users["county"],
                kind=IMPORT_KIND,
                title="import",
                params={"ledger": key, "commit": True},
                input_name="ledger.xlsx",
                input_file=SimpleUploadedFile("ledger.xlsx", data),
            )
        return Job.objects.get(pk=job.pk)

    return run


def _refused_in_ledger(errors: dict, field: str, header: str) -> None:
    assert field in errors, errors
    assert all(header in e["text"] and CHINESE.search(e["message"]) for e in errors[field]), errors[field]


@pytest.mark.django_db
def test_a_case_record_page_and_api_refuse_a_presenting_problem_over_4000_and_write_one_of_4000(page, api):
    case = make_case()
    record = {"source": "self", "agreement_signed": "on"}
    _response, errors = page(
        f"/cases/{case.pk}/record/", {**record, "presenting_problem": "问" * 4001}, "record_form"
    )
    assert _chinese(errors.get("presenting_problem")), errors
    refused = api("patch", f"/api/v1/cases/{case.pk}/", {"presenting_problem": "问" * 4001})
    assert refused.status_code == 400 and _chinese(refused.json()["errors"]["presenting_problem"])
    assert Case.objects.get(pk=case.pk).presenting_problem == "独居老人生活困难"

    response, errors = page(f"/cases/{case.pk}/record/", {**record, "presenting_problem": "页" * 4000})
    assert response.status_code == 302 and not errors
    assert Case.objects.get(pk=case.pk).presenting_problem == "页" * 4000
    taken = api("patch", f"/api/v1/cases/{case.pk}/", {"presenting_problem": "接" * 4000})
    assert taken.status_code == 200, taken.content
    case.refresh_from_db()
    # The PATCH left out the agreement: it stays as the page saved it (no default written over it).
    assert (case.presenting_problem, case.agreement_signed) == ("接" * 4000, True)


@pytest.mark.django_db
def test_a_team_page_refuses_a_name_over_100_and_registers_a_valid_team(page):
    held = station()
    body = {"station": held.pk, "founded_on": TODAY, "focus": "助老"}
    _response, errors = page("/community/teams/new/", {**body, "name": "队" * 101})
    assert _chinese(errors.get("name")), errors
    response, errors = page("/community/teams/new/", {**body, "name": "队" * 100})
    assert response.status_code == 302 and not errors
    assert Team.objects.get(name="队" * 100).station == held


def _group(held) -> dict:
    """A group's fields as the page posts them (the API takes them alike)."""
    return {
        "station": held.pk,
        "name": "长者互助小组",
        "kind": "support",
        "aim": "减少孤独",
        "started_on": TODAY,
        "other_members": "0",
    }


@pytest.mark.django_db
def test_a_group_page_refuses_101_sessions_and_creates_a_group_of_100(page):
    held = station()
    body = _group(held)
    _response, errors = page("/community/groups/new/", {**body, "planned_sessions": "101"})
    assert _chinese(errors.get("planned_sessions")), errors
    response, errors = page("/community/groups/new/", {**body, "planned_sessions": "100"})
    assert response.status_code == 302 and not errors
    assert WorkGroup.objects.get(name="长者互助小组").planned_sessions == 100


@pytest.mark.django_db
def test_a_deliberation_page_and_ledger_refuse_a_problem_over_300_and_record_one_of_300(page, ledger):
    """The page's box cut a longer problem at 300 without a word; now it refuses it, as the ledger does. The
    decisions take any length on both (the ledger capped them at 5,000)."""
    body = {"region": "522301001001", "held_on": TODAY, "topic": "楼道照明", "participants": "12"}
    _response, errors = page("/community/deliberations/new/", {**body, "issues": "灯" * 301})
    assert _chinese(errors.get("issues")), errors
    header = ["村（社区）", "议事日期", "议题", "提出的问题", "议定事项"]
    refused = ledger("community.deliberations", [header, ["522301001002", TODAY, "修路", "路" * 301, "议"]])
    _refused_in_ledger(refused, "problem", "提出的问题")
    # A meeting not yet held: refused by the ledger, and now by the page (it took one).
    _response, errors = page("/community/deliberations/new/", {**body, "held_on": TOMORROW})
    assert _chinese(errors.get("held_on")), errors
    refused = ledger("community.deliberations", [header, ["522301001002", TOMORROW, "修路", "路", "议"]])
    _refused_in_ledger(refused, "held_on", "议事日期")
    assert not Deliberation.objects.exists()

    decisions = "决" * 6000
    response, errors = page(
        "/community/deliberations/new/", {**body, "issues": "灯" * 300, "decisions": decisions}
    )
    assert response.status_code == 302 and not errors
    row = [header, ["522301001002", TODAY, "修路", "路" * 300, decisions]]
    assert not ledger("community.deliberations", row)
    job = ledger("community.deliberations", row, commit=True)
    assert job.result.get("ok") is not False, job.result
    assert set(DeliberationIssue.objects.values_list("description", flat=True)) == {"灯" * 300, "路" * 300}
    assert set(Deliberation.objects.values_list("decisions", flat=True)) == {decisions}


@pytest.mark.django_db
def test_a_facility_page_api_and_ledger_refuse_a_floor_area_over_100000_and_register_one_of_100000(
    page, api, ledger
):
    """The page took any area before the declaration; the API and the ledger took up to 100,000 m²."""
    form = {"kind": "township_station", "region_code": "522301001", "name": "黄草社工站", "status": "planned"}
    _response, errors = page("/network/stations/new/", {**form, "floor_area": "100001"})
    assert _chinese(errors.get("floor_area")), errors
    body = {"kind": "township_station", "region": "522301002", "name": "兴泰社工站"}
    refused = api("post", "/api/v1/stations/", {**body, "floor_area": 100_001})
    assert refused.status_code == 400 and _chinese(refused.json()["errors"]["floor_area"])
    header = ["乡镇（街道）", "站点名称", "面积"]
    errors = ledger("network.stations", [header, ["522301003", "桔山社工站", 100_001]])
    _refused_in_ledger(errors, "floor_area", "面积")
    assert not Facility.objects.exists()

    response, errors = page("/network/stations/new/", {**form, "floor_area": "100000"})
    assert response.status_code == 302 and not errors
    taken = api("post", "/api/v1/stations/", {**body, "floor_area": 100_000})
    assert taken.status_code == 201, taken.content
    job = ledger("network.stations", [header, ["522301003", "桔山社工站", 100_000]], commit=True)
    assert job.result.get("ok") is not False, job.result
    assert dict(Facility.objects.values_list("name", "floor_area")) == {
        "黄草社工站": 100_000,
        "兴泰社工站": 100_000,
        "桔山社工站": 100_000,
    }


@pytest.mark.django_db
def test_an_agency_page_and_ledger_refuse_a_name_over_100_and_register_a_valid_agency(page, ledger):
    form = {"credit_code": "91522301MA6DKQ7X4G", "authority": "兴义市民政局", "staff_count": "12"}
    _response, errors = page("/workforce/agencies/new/", {**form, "name": "机" * 101})
    assert _chinese(errors.get("name")), errors
    header = ["机构名称", "统一社会信用代码", "登记管理机关", "评估年度"]
    row = ["构" * 101, "91522301MA6DKQ7X5K", "兴义市民政局", 2101]
    errors = ledger("workforce.agencies", [header, row])
    _refused_in_ledger(errors, "name", "机构名称")
    # The rating's year: from 2000 to 2100 in the declaration (the ledger set no upper bound).
    _refused_in_ledger(errors, "rating_year", "评估年度")
    # A registration not yet made: refused by the ledger, and now by the page (it took one).
    _response, errors = page("/workforce/agencies/new/", {**form, "name": "机构", "registered_on": TOMORROW})
    assert _chinese(errors.get("registered_on")), errors
    row = ["机构", "91522301MA6DKQ7X5K", "兴义市民政局", "", TOMORROW]
    errors = ledger("workforce.agencies", [[*header, "登记日期"], row])
    _refused_in_ledger(errors, "registered_on", "登记日期")
    assert not Agency.objects.exists()

    response, errors = page("/workforce/agencies/new/", {**form, "name": "机" * 100})
    assert response.status_code == 302 and not errors
    job = ledger(
        "workforce.agencies", [header, ["构" * 100, "91522301MA6DKQ7X5K", "兴义市民政局", ""]], commit=True
    )
    assert job.result.get("ok") is not False, job.result
    assert dict(Agency.objects.values_list("credit_code", "name")) == {
        "91522301MA6DKQ7X4G": "机" * 100,
        "91522301MA6DKQ7X5K": "构" * 100,
    }


# --- a contact phone: one rule on the page, the API and the ledger ------------------------------------------

BAD_PHONE = "12345"  # five digits: neither a mobile nor a landline
# The ledgers' message (lib/pii.py phone_normalise), now the page's and the API's.
PHONE_REFUSED = "电话号码无效"


def _phone_refused(messages) -> bool:
    return _chinese(messages) and all(PHONE_REFUSED in str(m) for m in messages)


@pytest.mark.django_db
def test_a_facility_page_api_and_ledger_refuse_a_bad_contact_phone_and_take_a_mobile_and_a_landline(
    page, api, ledger
):
    form = {"kind": "township_station", "region_code": "522301001", "name": "黄草社工站", "status": "planned"}
    _response, errors = page("/network/stations/new/", {**form, "contact_phone": BAD_PHONE})
    assert _phone_refused(errors.get("contact_phone")), errors
    body = {"kind": "township_station", "region": "522301002", "name": "兴泰社工站"}
    refused = api("post", "/api/v1/stations/", {**body, "contact_phone": BAD_PHONE})
    assert refused.status_code == 400 and _phone_refused(refused.json()["errors"]["contact_phone"])
    header = ["乡镇（街道）", "站点名称", "联系电话"]
    errors = ledger("network.stations", [header, ["522301003", "桔山社工站", BAD_PHONE]])
    _refused_in_ledger(errors, "contact_phone", "联系电话")
    assert PHONE_REFUSED in errors["contact_phone"][0]["message"]
    assert not Facility.objects.exists()

    response, errors = page("/network/stations/new/", {**form, "contact_phone": "13812345678"})
    assert response.status_code == 302 and not errors
    taken = api("post", "/api/v1/stations/", {**body, "contact_phone": "0871-65123456"})
    assert taken.status_code == 201, taken.content
    job = ledger("network.stations", [header, ["522301003", "桔山社工站", "0871-65123456"]], commit=True)
    assert job.result.get("ok") is not False, job.result
    # The ledger keeps the digits, as every ledger's phone column does; the page and the API what was typed.
    assert dict(Facility.objects.values_list("name", "contact_phone")) == {
        "黄草社工站": "13812345678",
        "兴泰社工站": "0871-65123456",
        "桔山社工站": "087165123456",
    }
    patched = api("patch", f"/api/v1/stations/{taken.json()['id']}/", {"contact_phone": BAD_PHONE})
    assert patched.status_code == 400 and _phone_refused(patched.json()["errors"]["contact_phone"])
    assert Facility.objects.get(name="兴泰社工站").contact_phone == "0871-65123456"


@pytest.mark.django_db
def test_an_agency_page_and_ledger_refuse_a_bad_contact_phone_and_take_a_mobile_and_a_landline(page, ledger):
    form = {"credit_code": "91522301MA6DKQ7X4G", "authority": "兴义市民政局", "name": "兴义社工中心"}
    _response, errors = page("/workforce/agencies/new/", {**form, "contact_phone": BAD_PHONE})
    assert _phone_refused(errors.get("contact_phone")), errors
    header = ["机构名称", "统一社会信用代码", "登记管理机关", "联系电话"]
    errors = ledger("workforce.agencies", [header, ["构", "91522301MA6DKQ7X5K", "兴义市民政局", BAD_PHONE]])
    _refused_in_ledger(errors, "contact_phone", "联系电话")
    assert PHONE_REFUSED in errors["contact_phone"][0]["message"]
    assert not Agency.objects.exists()

    response, errors = page("/workforce/agencies/new/", {**form, "contact_phone": "13812345678"})
    assert response.status_code == 302 and not errors
    row = ["兴仁社工中心", "91522301MA6DKQ7X5K", "兴义市民政局", "0871-65123456"]
    job = ledger("workforce.agencies", [header, row], commit=True)
    assert job.result.get("ok") is not False, job.result
    assert dict(Agency.objects.values_list("name", "contact_phone")) == {
        "兴义社工中心": "13812345678",
        "兴仁社工中心": "087165123456",
    }


# --- the API's input of a team, a group, a meeting and an agency (the declaration's serializer) ---------------


def _refused(response, field: str) -> bool:
    return response.status_code == 400 and _chinese(response.json()["errors"][field])


@pytest.mark.django_db
def test_the_team_api_refuses_a_name_over_100_sets_up_a_team_and_changes_it_in_its_county_only(api, sibling):
    held, elsewhere = station(), station("522302001")
    body = {"station": held.pk, "founded_on": TODAY, "focus": "助老"}
    assert _refused(api("post", "/api/v1/volunteer-teams/", {**body, "name": "队" * 101}), "name")
    outside = api("post", "/api/v1/volunteer-teams/", {**body, "station": elsewhere.pk, "name": "兴仁队"})
    assert _refused(outside, "station")
    assert not Team.objects.exists()

    taken = api("post", "/api/v1/volunteer-teams/", {**body, "name": "队" * 100})
    assert taken.status_code == 201, taken.content
    url = f"/api/v1/volunteer-teams/{taken.json()['id']}/"
    assert _refused(api("patch", url, {"name": "队" * 101}), "name")
    assert api("patch", url, {"focus": "助残"}).status_code == 200
    assert sibling("patch", url, {"focus": "兴仁"}).status_code == 404
    assert sibling("post", "/api/v1/volunteer-teams/", {**body, "name": "兴仁队"}).status_code == 400
    assert list(Team.objects.values_list("name", "station", "focus")) == [("队" * 100, held.pk, "助残")]


@pytest.mark.django_db
def test_the_group_api_refuses_101_sessions_starts_a_group_of_100_and_changes_it_in_its_county_only(
    api, sibling
):
    held = station()
    body = _group(held)
    refused = api("post", "/api/v1/groups/", {**body, "planned_sessions": 101})
    assert _refused(refused, "planned_sessions")
    assert not WorkGroup.objects.exists()

    taken = api("post", "/api/v1/groups/", {**body, "planned_sessions": 100})
    assert taken.status_code == 201, taken.content
    url = f"/api/v1/groups/{taken.json()['id']}/"
    assert _refused(api("patch", url, {"other_members": 10_001}), "other_members")
    changed = api("patch", url, {"other_members": 3})
    assert changed.status_code == 200 and changed.json()["sessions"] == []
    assert sibling("patch", url, {"other_members": 9}).status_code == 404
    assert list(WorkGroup.objects.values_list("planned_sessions", "other_members", "station")) == [
        (100, 3, held.pk)
    ]


@pytest.mark.django_db
def test_the_deliberation_api_refuses_a_meeting_not_yet_held_records_one_and_changes_it_in_its_county_only(
    api, sibling
):
    body = {"region": "522301001001", "held_on": TODAY, "topic": "楼道照明", "participants": 12}
    assert _refused(api("post", "/api/v1/deliberations/", {**body, "held_on": TOMORROW}), "held_on")
    outside = api("post", "/api/v1/deliberations/", {**body, "region": "522302001001"})
    assert _refused(outside, "region")
    too_long = api("post", "/api/v1/deliberations/", {**body, "issues": ["灯" * 301]})
    assert too_long.status_code == 400 and CHINESE.search(str(too_long.json()["errors"]["issues"]))
    assert not Deliberation.objects.exists()

    taken = api("post", "/api/v1/deliberations/", {**body, "issues": ["灯" * 300, "楼梯扶手"]})
    assert taken.status_code == 201, taken.content
    assert {i["description"] for i in taken.json()["issues"]} == {"灯" * 300, "楼梯扶手"}
    url = f"/api/v1/deliberations/{taken.json()['id']}/"
    assert _refused(api("patch", url, {"participants": 100_001}), "participants")
    assert api("patch", url, {"decisions": "更换楼道灯"}).status_code == 200
    assert sibling("patch", url, {"decisions": "兴仁"}).status_code == 404
    assert _refused(api("patch", url, {"region": "522302001001"}), "region")
    assert list(Deliberation.objects.values_list("region", "participants", "decisions")) == [
        ("522301001001", 12, "更换楼道灯")
    ]


@pytest.mark.django_db
def test_a_deliberation_patch_with_its_problems_makes_them_those_listed_and_one_without_leaves_them(api):
    """The problems a PATCH sends are checked as the POST and the page check them (ISSUE) and become the
    meeting's: one listed again stays as it is, one left out goes, a new one is added; a closed one stays."""
    body = {"region": "522301001001", "held_on": TODAY, "topic": "楼道照明", "issues": ["楼道灯", "楼梯扶手"]}
    url = f"/api/v1/deliberations/{api('post', '/api/v1/deliberations/', body).json()['id']}/"
    lamp = DeliberationIssue.objects.get(description="楼道灯")
    assert api("patch", url, {"decisions": "更换楼道灯"}).status_code == 200
    assert sorted(DeliberationIssue.objects.values_list("description", flat=True)) == ["楼梯扶手", "楼道灯"]

    too_long = api("patch", url, {"issues": ["灯" * 301]})
    assert too_long.status_code == 400 and CHINESE.search(str(too_long.json()["errors"]["issues"]))
    changed = api("patch", url, {"issues": ["楼道灯", "  垃圾分类  "]})
    assert changed.status_code == 200, changed.content
    assert [i["description"] for i in changed.json()["issues"]] == ["楼道灯", "垃圾分类"]
    assert changed.json()["issues"][0]["id"] == lamp.pk

    DeliberationIssue.objects.filter(pk=lamp.pk).update(status="solved", outcome="已换灯", closed_on=TODAY)
    assert _refused(api("patch", url, {"issues": ["垃圾分类"]}), "issues")
    assert list(DeliberationIssue.objects.values_list("description", "status")) == [
        ("楼道灯", "solved"),
        ("垃圾分类", "open"),
    ]


@pytest.mark.django_db
def test_the_agency_api_refuses_a_bad_phone_registers_an_agency_and_changes_it_in_its_county_only(
    api, sibling
):
    body = {"name": "兴义社工中心", "credit_code": "91522301MA6DKQ7X4G", "authority": "兴义市民政局"}
    refused = api("post", "/api/v1/agencies/", {**body, "contact_phone": BAD_PHONE})
    assert refused.status_code == 400 and _phone_refused(refused.json()["errors"]["contact_phone"])
    assert _refused(api("post", "/api/v1/agencies/", {**body, "name": "机" * 101}), "name")
    assert _refused(
        api("post", "/api/v1/agencies/", {**body, "credit_code": "91522301MA6DKQ7X4A"}), "credit_code"
    )
    assert _refused(api("post", "/api/v1/agencies/", {**body, "region": "522302"}), "region")
    assert not Agency.objects.exists()

    taken = api("post", "/api/v1/agencies/", {**body, "contact_phone": "0871-65123456"})
    assert taken.status_code == 201, taken.content
    url = f"/api/v1/agencies/{taken.json()['id']}/"
    patched = api("patch", url, {"contact_phone": BAD_PHONE})
    assert patched.status_code == 400 and _phone_refused(patched.json()["errors"]["contact_phone"])
    assert api("patch", url, {"contact_phone": "13812345678", "staff_count": 12}).status_code == 200
    assert sibling("patch", url, {"staff_count": 99}).status_code == 404
    assert sibling("post", "/api/v1/agencies/", {**body, "region": "522301"}).status_code == 400
    assert list(Agency.objects.values_list("name", "region", "contact_phone", "staff_count")) == [
        ("兴义社工中心", "522301", "13812345678", 12)
    ]
