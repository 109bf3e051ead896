"""One entity, one set of limits: where the page, the API and the ledger differed before the declarations
(lib/inputs.py), the same value is now taken or refused by all three, a refusal in Chinese on the field; and
the API takes the fields the page takes (a person living away from the registered residence, a volunteer's
note, an activity's organisation) through the same service."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from knox.models import AuthToken

from shegong.casework.forms import ServiceRecordForm
from shegong.casework.models import ServiceItem
from shegong.clients.forms import PersonForm, VisitForm
from shegong.clients.models import Category, Person
from shegong.community import selectors
from shegong.community.forms import ActivityForm, DonationEntryForm, VolunteerForm
from shegong.community.models import Activity, CharityFund, Organisation, Volunteer
from shegong.community.tests.factories import id_number, make_organisation, station
from shegong.lib.importer.engine import check_file
from shegong.lib.importer.ledger import LEDGERS
from shegong.lib.importer.tests.corpus import xlsx
from shegong.network.models import Facility

pytestmark = pytest.mark.django_db

CHINESE = re.compile("[\u4e00-\u9fff]")


def _page_form(entity: str, data: dict):
    stations = Facility.objects.none()
    return {
        "person": lambda: PersonForm(data, categories=Category.objects.none()),
        "visit": lambda: VisitForm(data),
        "service": lambda: ServiceRecordForm(
            data, stations=stations, items=ServiceItem.objects.none(), user=None
        ),
        "volunteer": lambda: VolunteerForm(data, stations=stations),
        "activity": lambda: ActivityForm(data, stations=stations, organisations=Organisation.objects.none()),
    }[entity]()


API = {
    "person": "/api/v1/clients/",
    "visit": "/api/v1/visits/",
    "service": "/api/v1/service-records/",
    "volunteer": "/api/v1/volunteers/",
    "activity": "/api/v1/activities/",
}
# The ledger, and a second column beside the one tried (a header row of one column is not taken as one).
LEDGER = {
    "person": ("clients.people", "姓名", "张三"),
    "visit": ("clients.visits", "姓名", "张三"),
    "service": ("casework.services", "服务对象", "张三"),
    "volunteer": ("community.volunteers", "姓名", "张三"),
    "activity": ("community.activities", "活动名称", "敬老"),
}

# (entity, field, the most each surface takes, the least each refuses)
LIMITS = [
    ("visit", "findings", "察" * 4000, "察" * 4001),  # the API's 4,000 (was 2,000 on the page and ledger)
    ("visit", "needs", "需" * 4000, "需" * 4001),
    ("service", "participants", 100_000, 100_001),  # the page's bound (the API took any number)
    ("activity", "participants", 1_000_000, 1_000_001),
    ("activity", "beneficiaries", 10_000_000, 10_000_001),
    ("activity", "volunteers_wanted", 10_000, 10_001),
    ("volunteer", "note", "注" * 200, "注" * 201),  # the model's 200 (the API did not take a note)
    ("person", "note", "注" * 3000, None),  # any length (the ledger capped it at 2,000)
    ("activity", "summary", "总" * 3000, None),
]


def _errors(entity: str, name: str, value, client, user, token: str) -> dict:
    """The field's messages on the page's form, on the API and in the ledger (empty: taken)."""
    form = _page_form(entity, {name: str(value)})
    form.is_valid()
    response = client.post(
        API[entity],
        {name: value},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code in (400, 201), response.content
    found = {"page": form.errors.get(name, []), "api": response.json().get("errors", {}).get(name, [])}
    key, beside, filled = LEDGER[entity]
    ledger = LEDGERS[key]
    column = next((f for f in ledger.fields if f.key == name), None)
    if column is not None:
        header = column.synonyms[0]
        outcome = check_file(
            user=user, ledger=ledger, data=xlsx([[beside, header], [filled, value], ["张" * 1000, value]])
        )
        # The rows are read: a name of 1,000 characters beside is refused.
        assert any(e["row"] == 3 for e in outcome.errors()), outcome.errors()
        found["ledger"] = [e for e in outcome.errors() if e["field"] == name and e["row"] == 2]
        assert all(header in e["text"] for e in found["ledger"]), found["ledger"]
        found["ledger"] = [e["message"] for e in found["ledger"]]
    return found


@pytest.mark.parametrize(
    ("entity", "name", "most", "refused"), LIMITS, ids=[f"{e}-{n}" for e, n, *_ in LIMITS]
)
def test_the_page_the_api_and_the_ledger_take_and_refuse_the_same_value(
    client, users, entity, name, most, refused
):
    user = users["county"]
    token = AuthToken.objects.create(user)[1]
    with translation.override("zh-hans"):
        taken = _errors(entity, name, most, client, user, token)
        assert not any(taken.values()), taken
        if refused is None:
            return
        errors = _errors(entity, name, refused, client, user, token)
    assert set(errors) == {"page", "api", "ledger"} or (entity, name) == ("activity", "volunteers_wanted")
    for surface, messages in errors.items():
        assert messages and all(CHINESE.search(str(m)) for m in messages), (surface, messages)


def _api(client, user):
    token = AuthToken.objects.create(user)[1]
    return lambda url, body: client.post(
        url,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_the_api_records_a_person_living_away_from_the_registered_residence_as_the_page_does(client, users):
    post = _api(client, users["county"])
    response = post(
        "/api/v1/clients/", {"name": "离乡者", "region": "522301001001", "away_from_registration": True}
    )
    assert response.status_code == 201, response.content
    assert Person.objects.get(pk=response.json()["id"]).away_from_registration is True
    response = post("/api/v1/clients/", {"name": "在家者", "region": "522301001001"})
    assert (
        Person.objects.get(pk=response.json()["id"]).away_from_registration is False
    )  # left out: the default
    assert "away_from_registration" in PersonForm.base_fields


def test_the_api_keeps_a_volunteers_note_and_defaults_an_empty_registration_day_to_today_as_the_page(
    client, users, login
):
    post = _api(client, users["county"])
    body = {"name": "赵志愿", "id_number": id_number(), "phone": "13800001234", "region": "522301001001"}
    response = post("/api/v1/volunteers/", {**body, "note": "周末可来", "registered_on": None})
    assert response.status_code == 201, response.content
    volunteer = Volunteer.objects.get(pk=response.json()["id"])
    assert (volunteer.note, volunteer.registered_on) == ("周末可来", timezone.localdate())

    page = login(users["county"])
    number = id_number()
    response = page.post(
        "/community/volunteers/new/",
        {**body, "id_number": number, "note": "晚上可来", "registered_on": ""},
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.exclude(pk=volunteer.pk).get(name="赵志愿")
    assert (volunteer.note, volunteer.registered_on) == ("晚上可来", timezone.localdate())

    # A day in the future is refused by both, in Chinese on the field.
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = post("/api/v1/volunteers/", {**body, "id_number": id_number(), "registered_on": tomorrow})
    assert refused.status_code == 400 and CHINESE.search(str(refused.json()["errors"]["registered_on"]))
    with translation.override("zh-hans"):
        page = login(users["county"]).post(
            "/community/volunteers/new/", {**body, "id_number": id_number(), "registered_on": tomorrow}
        )
        assert CHINESE.search(str(page.context["form"].errors["registered_on"]))


def test_the_api_names_an_activitys_organisation_from_the_pages_list_and_refuses_another_countys(
    client, users
):
    ours, theirs = (
        make_organisation("522301001001", "邻里互助会", status="incubating"),
        make_organisation("522302001001", "外县互助会", status="incubating"),
    )
    held = station()
    post = _api(client, users["county"])
    body = {
        "station": held.pk,
        "title": "重阳敬老",
        "kind": "care_visit",
        "held_on": timezone.localdate().isoformat(),
    }
    response = post("/api/v1/activities/", {**body, "organisation": ours.pk})
    assert response.status_code == 201, response.content
    assert Activity.objects.get(pk=response.json()["id"]).organisation == ours

    refused = post("/api/v1/activities/", {**body, "title": "外县活动", "organisation": theirs.pk})
    assert refused.status_code == 400 and CHINESE.search(str(refused.json()["errors"]["organisation"]))
    assert not Activity.objects.filter(title="外县活动").exists()
    # The page offers the same list: the other county's organisation is not a choice.
    form = ActivityForm(
        {**body, "organisation": theirs.pk},
        stations=Facility.objects.filter(pk=held.pk),
        organisations=selectors.organisation_choices(user=users["county"]),
    )
    assert not form.is_valid() and "organisation" in form.errors


def test_the_donation_page_refuses_the_count_the_ledger_refuses(users):
    """A donation has no API: the page and the ledger take at most 10,000,000 people who benefited."""
    stations, funds = Facility.objects.none(), CharityFund.objects.none()
    with translation.override("zh-hans"):
        for count, taken in ((10_000_000, True), (10_000_001, False)):
            form = DonationEntryForm({"beneficiary_count": str(count)}, stations=stations, funds=funds)
            form.is_valid()
            assert ("beneficiary_count" not in form.errors) is taken
            rows = [["捐赠方", "受益人数"], ["某公司", count]]
            outcome = check_file(user=users["county"], ledger=LEDGERS["community.donations"], data=xlsx(rows))
            refused = [e for e in outcome.errors() if e["field"] == "beneficiary_count"]
            assert (not refused) is taken, refused
        assert CHINESE.search(str(form.errors["beneficiary_count"])) and CHINESE.search(refused[0]["text"])
