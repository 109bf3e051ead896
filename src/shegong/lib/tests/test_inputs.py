"""One input declaration per entity (lib/inputs.py) drives the page's form, the API's input serializer and the
ledger's columns: the live surfaces carry the declaration's limits, a limit changed in the declaration reaches
all three, and all three refuse the same bad value with a Chinese message on that field."""

import re

import pytest
from django.utils import translation
from knox.models import AuthToken

from shegong.casework.api import CaseOpenInput, ServiceRecordSerializer
from shegong.casework.forms import CaseOpenForm, ServiceRecordForm
from shegong.casework.inputs import CASE_OPEN, SERVICE_RECORD
from shegong.clients.api import ClientInput, VisitSerializer
from shegong.clients.forms import PersonForm, VisitForm
from shegong.clients.inputs import PERSON, VISIT
from shegong.clients.models import Category, Person
from shegong.community.api import ActivityInput, VolunteerInput
from shegong.community.forms import ActivityForm, DonationEntryForm, VolunteerForm
from shegong.community.inputs import ACTIVITY, DONATION, VOLUNTEER
from shegong.lib.importer.engine import check_file
from shegong.lib.importer.ledger import LEDGERS
from shegong.lib.importer.tests.corpus import xlsx
from shegong.workforce.forms import CertificateForm, WorkerForm
from shegong.workforce.inputs import CERTIFICATE, WORKER

CHINESE = re.compile("[\u4e00-\u9fff]")

# (declaration, page form, API serializer or None, ledger or None)
SURFACES = {
    "certificate": (CERTIFICATE, CertificateForm, None, "workforce.certificates"),
    "worker": (WORKER, WorkerForm, None, "workforce.workers"),
    "donation": (DONATION, DonationEntryForm, None, "community.donations"),
    "case": (CASE_OPEN, CaseOpenForm, CaseOpenInput, None),
    "person": (PERSON, PersonForm, ClientInput, "clients.people"),
    "visit": (VISIT, VisitForm, VisitSerializer, "clients.visits"),
    "service": (SERVICE_RECORD, ServiceRecordForm, ServiceRecordSerializer, "casework.services"),
    "volunteer": (VOLUNTEER, VolunteerForm, VolunteerInput, "community.volunteers"),
    "activity": (ACTIVITY, ActivityForm, ActivityInput, "community.activities"),
}
# A ledger's column that differs on purpose (the declaration says why): a service ledger's row without a mode
# takes the mode the row implies; a certificate's row may give the date instead of the year, leave a number not
# collected yet empty; a worker's row without a post takes the usual one.
OWN = {
    ("casework.services", "mode"),
    ("workforce.certificates", "year"),
    ("workforce.certificates", "number"),
    ("workforce.workers", "post"),
}
# A ledger's column with a label of its own.
OWN_LABEL = {
    ("casework.services", "group_name"),
    ("workforce.certificates", "level"),
    ("workforce.workers", "name"),
}


def _limits(field) -> tuple:
    """What a form field, a serializer field or a ledger column says of a value's limits."""
    length = getattr(field, "max_length", None)
    least, most = getattr(field, "min_value", None), getattr(field, "max_value", None)
    choices = getattr(field, "choices", None) or []
    values = {str(value) for value, _label in (choices.items() if isinstance(choices, dict) else choices)}
    return length, least, most, values - {""}


@pytest.mark.parametrize("entity", sorted(SURFACES))
def test_the_page_the_api_and_the_ledger_carry_the_declared_limits(entity):
    declaration, form, serializer, ledger_key = SURFACES[entity]
    api = serializer().fields if serializer else {}
    ledger = {f.key: f for f in LEDGERS[ledger_key].fields} if ledger_key else {}
    compared = 0
    for name, spec in declaration.specs.items():
        if spec.kind in ("ref", "bool"):
            continue
        declared = _limits(spec)
        page = _limits(form.base_fields[name])
        assert str(form.base_fields[name].label) == str(spec.label), name
        assert page[0] == declared[0] and page[3] == declared[3], name
        if spec.kind == "int":
            assert page[1:3] == declared[1:3], name
        # Off the page, a grade 1..4 is a number from 1 to 4 (no list of choices).
        expected = (declared[0], *declared[1:3], set() if spec.number else declared[3])
        if name in api and spec.api is None:
            assert _limits(api[name]) == expected, name
        if (
            name in ledger
            and ledger[name].kind in ("text", "int", "choice")
            and (ledger_key, name) not in OWN
        ):
            column = ledger[name]
            assert (_limits(column), column.required) == (expected, declaration.required_in_api(name)), name
            assert str(column.label) == str(spec.label) or (ledger_key, name) in OWN_LABEL, name
            compared += 1
    # A certificate has three fields, two of them taken otherwise by its ledger.
    assert compared >= (1 if entity == "certificate" else 3) or not ledger_key


def test_a_limit_changed_in_the_declaration_reaches_the_form_the_serializer_and_the_column():
    changed = PERSON.but(
        name={"max_length": 10, "label": "称呼"},
        disability_grade={"choices": [(1, "1"), (2, "2")]},
        risk_reason={"required": True},
    )
    form, api = changed.form().base_fields, changed.serializer()().fields
    name = changed.column("name", ("姓名",))
    grade = changed.column("disability_grade", ("残疾等级",))
    reason = changed.column("risk_reason", ("风险原因",))

    assert form["name"].max_length == api["name"].max_length == name.max_length == 10
    assert form["name"].label == name.label == "称呼"
    assert [v for v, _label in form["disability_grade"].choices] == ["", 1, 2]
    assert (api["disability_grade"].max_value, grade.max_value, grade.min_value) == (2, 2, 1)
    assert form["risk_reason"].required and api["risk_reason"].required and reason.required
    # The live declaration is untouched.
    assert PERSON.limits("name").max_length == 50 and PersonForm.base_fields["name"].max_length == 50


BAD = {"name": "张" * 51, "disability_grade": 5, "risk_level": "未知"}


def _chinese_on(errors: dict, names) -> None:
    for name in names:
        assert errors.get(name), (name, errors)
        assert all(CHINESE.search(str(message)) for message in errors[name]), (name, errors[name])


@pytest.mark.django_db
def test_the_form_the_api_and_the_ledger_refuse_the_same_bad_values_in_chinese(client, users):
    village = "522301001001"
    with translation.override("zh-hans"):
        form = PersonForm({**BAD, "region": village}, categories=Category.objects.none())
        assert not form.is_valid()
        _chinese_on(form.errors, BAD)

        api = ClientInput(data={**BAD, "region": village})
        assert not api.is_valid()
        _chinese_on(api.errors, BAD)

        rows = [["姓名", "村（社区）区划代码", "残疾等级", "风险等级"], [BAD["name"], village, 5, "未知"]]
        outcome = check_file(user=users["county"], ledger=LEDGERS["clients.people"], data=xlsx(rows))
        errors = {e["field"]: e for e in outcome.errors()}
        assert set(BAD) <= set(errors), errors
        for name, header in (("name", "姓名"), ("disability_grade", "残疾等级"), ("risk_level", "风险等级")):
            assert header in errors[name]["text"] and CHINESE.search(errors[name]["message"])

    _instance, token = AuthToken.objects.create(users["county"])
    response = client.post(
        "/api/v1/clients/",
        {**BAD, "region": village},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    _chinese_on(response.json()["errors"], BAD)
    assert not Person.objects.filter(name=BAD["name"]).exists()
