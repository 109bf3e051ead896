"""Visits worth having (issue 16.3): required content, the checklist as data feeding figures, photos stored
privately and shown only to those who may see the file, follow-up tasks, a back-dated visit, location as
evidence, the printed forms."""

import base64
import datetime as dt
import subprocess

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shegong.clients import selectors, services
from shegong.clients.models import ChecklistItem, FollowUp, Visit, VisitPhoto
from shegong.clients.tests.factories import OTHER_COUNTY_VILLAGE, make_person, make_visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _item(code):
    return ChecklistItem.objects.get(code=code)


def _visit_form(client, person, **fields):
    """The visit form of ``person`` sent by ``client``: a home visit today, with ``fields``."""
    data = {"visited_on": TODAY.isoformat(), "mode": "home", **fields}
    return client.post(reverse("clients:visit_create", args=[person.pk]), data)


def test_an_empty_visit_is_refused_with_a_message_at_the_top_and_on_the_findings(users, login):
    person = make_person()
    response = _visit_form(login(users["worker"]), person)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in page
    assert "走访内容为空" in page
    assert not Visit.objects.exists()


def test_the_checklist_alone_is_content_and_its_answers_are_stored_as_data(users, login):
    person = make_person()
    housing = _item("housing_safe")
    answers = {f"q_{housing.pk}": "concern", f"q_{_item('health_state').pk}": "ok"}
    response = _visit_form(login(users["worker"]), person, **answers)
    assert response.status_code == 302
    visit = Visit.objects.get(person=person)
    assert dict(visit.answers.values_list("item__code", "answer")) == {
        "housing_safe": "concern",
        "health_state": "ok",
    }


def test_the_checklist_depends_on_the_persons_categories(users):
    plain = make_person()
    child = make_person(
        name="小明",
        categories=["农村留守儿童"],
        birth_date=dt.date(2015, 1, 1),
        guardian_name="王大",
        guardian_relation="祖父",
        guardian_consent=True,
        guardian_consent_on=TODAY,
        id_number="",
    )
    plain_codes = {i.code for i in services.checklist_for(plain)}
    child_codes = {i.code for i in services.checklist_for(child)}
    assert "child_school" not in plain_codes and "child_school" in child_codes
    with pytest.raises(ValidationError) as info:
        make_visit(plain, 0, answers={_item("child_school"): "concern"})
    assert "answers" in info.value.message_dict


def test_an_administrator_adds_an_item_for_a_category_of_their_region(users, login):
    from shegong.clients.models import Category

    client = login(users["county"])
    category = Category.objects.get(name="独居")
    response = client.post(
        reverse("clients:checklist"),
        {
            "code": "fire_alarm",
            "topic": "safety",
            "question": "烟雾报警器是否完好",
            "concern_label": "发现报警器损坏",
            "category": category.pk,
        },
    )
    assert response.status_code == 302
    item = ChecklistItem.objects.get(code="fire_alarm")
    assert item.region_id == users["county"].jurisdiction_id and item.category == category
    assert item in services.checklist_for(make_person(categories=["独居"]))
    assert item not in services.checklist_for(make_person(code=OTHER_COUNTY_VILLAGE, categories=["独居"]))
    assert login(users["worker"]).post(reverse("clients:checklist"), {"code": "x"}).status_code == 403


def test_unsafe_housing_is_counted_per_township_once_per_person(users, login):
    housing = _item("housing_safe")
    a, b = make_person(name="甲"), make_person(name="乙")
    make_visit(a, 5, answers={housing: "concern"})
    make_visit(a, 1, answers={housing: "concern"})
    make_visit(b, 1, answers={housing: "ok"})
    other = make_person(name="丙", code=OTHER_COUNTY_VILLAGE)
    make_visit(other, 1, answers={housing: "concern"})
    area, items, rows = selectors.checklist_concerns(user=users["county"])
    assert area == "522301"
    assert [i.code for i in items] == ["housing_safe"]
    assert [(r["region"], r["counts"]) for r in rows] == [("522301001", [1])]
    page = login(users["county"]).get(reverse("clients:checklist_figures")).content.decode()
    assert "发现住房不安全" in page


def test_a_back_dated_visit_is_accepted_and_its_next_visit_counts_from_its_own_date(users, login):
    person = make_person(risk_level="key")
    page = login(users["worker"]).get(reverse("clients:visit_create", args=[person.pk])).content.decode()
    assert f'value="{TODAY + dt.timedelta(days=30):%Y-%m-%d}"' not in page  # next visit not pre-filled
    day = TODAY - dt.timedelta(days=20)
    response = _visit_form(
        login(users["worker"]), person, visited_on=day.isoformat(), findings="补录：上月走访"
    )
    assert response.status_code == 302
    assert Visit.objects.get(person=person).next_due == day + dt.timedelta(days=30)


def test_photos_are_stored_privately_and_shown_only_to_who_may_see_the_file(users, login, client):
    person = make_person()
    response = _visit_form(
        login(users["worker"]),
        person,
        findings="房屋漏雨",
        photos=[SimpleUploadedFile("a.png", PNG, "image/png"), SimpleUploadedFile("b.png", PNG, "image/png")],
    )
    assert response.status_code == 302
    photos = list(VisitPhoto.objects.filter(visit__person=person))
    assert len(photos) == 2
    path = photos[0].image.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert path.startswith(settings.STORAGES["private"]["OPTIONS"]["location"])
    url = reverse("clients:visit_photo", args=[photos[0].pk])
    served = login(users["worker"]).get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG
    assert LogEntry.objects.filter(additional_data__photo=photos[0].pk).exists()
    assert login(users["county2"]).get(url).status_code == 404
    assert login(users["sysadmin"]).get(url).status_code == 403


def test_a_file_that_is_not_a_picture_is_refused_naming_the_photo(users, login):
    person = make_person()
    not_a_photo = SimpleUploadedFile("p.jpg", b"<html>not a photo</html>", "image/jpeg")
    response = _visit_form(login(users["worker"]), person, findings="x", photos=[not_a_photo])
    assert response.status_code == 200
    assert "照片1" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_follow_up_task_goes_to_its_owner_and_is_marked_done(users, login):
    person = make_person()
    due = TODAY + dt.timedelta(days=3)
    response = _visit_form(
        login(users["worker"]),
        person,
        findings="屋顶漏雨",
        followup_task="联系村委会修缮房屋",
        followup_owner=users["worker"].pk,
        followup_due_on=due.isoformat(),
    )
    assert response.status_code == 302
    task = FollowUp.objects.get()
    assert (task.owner, task.due_on, task.person) == (users["worker"], due, person)
    assert list(selectors.followup_list(user=users["worker"])) == [task]
    assert list(selectors.followup_list(user=users["county"])) == []  # not the county's task
    assert list(selectors.followup_list(user=users["county2"], owner=False)) == []
    page = login(users["worker"]).get(reverse("clients:followup_list")).content.decode()
    assert "联系村委会修缮房屋" in page
    assert login(users["worker"]).post(reverse("clients:followup_done", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.done_on == TODAY
    assert list(selectors.followup_list(user=users["worker"])) == []


def test_a_task_without_a_due_date_or_with_an_owner_outside_the_file_is_refused(users):
    person = make_person()
    with pytest.raises(ValidationError) as info:
        make_visit(person, 0, followup_task="回访", followup_owner=users["worker"], followup_due_on=None)
    assert "followup_due_on" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        make_visit(person, 0, followup_task="回访", followup_owner=users["county2"], followup_due_on=TODAY)
    assert "followup_owner" in info.value.message_dict
    assert not FollowUp.objects.exists()


def test_location_is_kept_only_when_attached(users):
    person = make_person()
    plain = make_visit(person, 2)
    assert plain.latitude is None and plain.longitude is None
    placed = make_visit(person, 1, latitude=25.0912, longitude=104.9063)
    assert float(placed.latitude) == pytest.approx(25.0912)
    with pytest.raises(ValidationError):
        make_visit(person, 0, latitude=25.0)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pdf_fonts(data: bytes, tmp_path) -> list[list[str]]:
    """pdffonts' rows: name, type, encoding, emb, sub, uni, object, ID."""
    path = tmp_path / "f.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def _assert_fonts_embedded(data: bytes, tmp_path) -> None:
    fonts = _pdf_fonts(data, tmp_path)
    # The open CJK fonts of lib/cjk_font.py, embedded as subsets; never the reader's STSong-Light. ReportLab
    # lists its default Helvetica as a resource (as in the bulletin's test); nothing is drawn in it.
    cjk = [row for row in fonts if row[0] != "Helvetica"]
    assert cjk and len(fonts) - len(cjk) <= 1, fonts
    for row in cjk:
        assert "Noto" in row[0] and "STSong" not in row[0], row
        assert row[-5:-3] == ["yes", "yes"], row  # emb, sub


def test_the_visit_record_prints_with_answers_masked_id_and_signature_lines(users, login, tmp_path):
    person = make_person(address="光明路12号")
    visit = make_visit(
        person,
        0,
        answers={_item("housing_safe"): "concern"},
        followup_task="联系村委会",
        followup_owner=users["worker"],
        followup_due_on=TODAY,
    )
    response = login(users["worker"]).get(reverse("clients:visit_pdf", args=[visit.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "走访记录表" in text and "住房是否安全" in text and "签名" in text
    _assert_fonts_embedded(response.content, tmp_path)
    assert person.id_number not in text and person.id_number[-4:] in text
    assert LogEntry.objects.filter(additional_data__print=f"visit-{visit.pk}.pdf").exists()
    # The leader (no pii.view) gets the village, not the street address.
    leader_text = _pdf_text(
        login(users["leader"]).get(reverse("clients:visit_pdf", args=[visit.pk])).content, tmp_path
    )
    assert "光明路12号" in text and "光明路12号" not in leader_text
    assert login(users["county2"]).get(reverse("clients:visit_pdf", args=[visit.pk])).status_code == 404


def test_the_persons_file_prints_with_household_visits_and_signature_lines(users, login, tmp_path):
    person = make_person(name="买买提·艾力")
    services.household_member_add(actor=users["county"], person=person, name="李四", relation="spouse")
    make_visit(person, 3, findings="身体尚可")
    response = login(users["county"]).get(reverse("clients:person_pdf", args=[person.pk]))
    text = _pdf_text(response.content, tmp_path)
    assert "一人一档" in text and "李四" in text and "身体尚可" in text and "签名" in text
    assert "买买提·艾力" in text  # the middle dot of a Uyghur name is drawn (Noto has it)
    _assert_fonts_embedded(response.content, tmp_path)
    assert person.id_number not in text
    assert LogEntry.objects.filter(additional_data__print=f"person-{person.pk}.pdf").exists()


def test_the_persons_page_links_visits_tasks_and_the_print(users, login):
    person = make_person()
    visit = make_visit(
        person, 0, followup_task="联系村委会", followup_owner=users["worker"], followup_due_on=TODAY
    )
    page = login(users["leader"]).get(reverse("clients:person_detail", args=[person.pk])).content.decode()
    assert reverse("clients:visit_detail", args=[visit.pk]) in page
    assert reverse("clients:person_pdf", args=[person.pk]) in page
    assert "联系村委会" in page
    assert reverse("clients:followup_done", args=[visit.followups.get().pk]) not in page  # leader: read only


def test_a_visit_dated_in_year_9999_is_refused_on_its_date_and_not_recorded(users, login):
    """The next visit was reckoned from the date before the date was refused: 9999-12-31 plus the rule's days
    overflowed (a server error), on the page, the API and a ledger alike."""
    person = make_person()
    response = _visit_form(login(users["worker"]), person, visited_on="9999-12-31", findings="身体健康")
    assert response.status_code == 200  # the form again, with its errors
    assert "日期须在1900-01-01至2100-12-31之间" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.visit_create(
            actor=users["worker"], person=person, visited_on=dt.date.max, mode="home", findings="身体健康"
        )
    assert "visited_on" in refused.value.message_dict
    assert not Visit.objects.exists()
