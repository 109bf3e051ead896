import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shegong.network import services
from shegong.network.coverage import network_figures
from shegong.network.models import Assessment, Checklist
from shegong.network.tests.factories import assess, make_facility, template
from shegong.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_three_starting_templates_ship_with_their_items():
    items = {c.name: [i.text for i in c.items.all()] for c in Checklist.objects.filter(region__isnull=True)}
    assert items["六有"] == ["有场地", "有设备", "有人员", "有项目", "有工作流程", "有规章制度"]
    assert items["五统一"] == ["统一办公用房", "统一挂牌", "统一办公设备", "统一制度上墙", "统一着装"]
    assert len(items["五有"]) == 5


def test_an_administrator_copies_a_template_into_the_region_and_edits_the_copy_only(users, login):
    client = login(users["county"])
    response = client.post(reverse("network:checklist_copy", args=[template().pk]))
    copy = Checklist.objects.get(region_id="522301")
    assert response["Location"] == reverse("network:checklist_edit", args=[copy.pk])
    client.post(
        reverse("network:checklist_edit", args=[copy.pk]),
        {
            "name": "六有（兴义）",
            "description": "",
            "items": "有场地\n有设备\n有人员\n有项目\n有流程\n有制度\n有督导",
        },
    )
    copy.refresh_from_db()
    assert copy.name == "六有（兴义）" and copy.items.count() == 7
    assert template().items.count() == 6
    with pytest.raises(ValidationError):
        services.checklist_update(
            actor=users["county"], checklist=template(), name="x", description="", items=["a"]
        )


def test_an_item_with_results_may_be_reworded_but_not_removed(users):
    checklist = services.checklist_copy(
        actor=None, checklist=template(), region=Region.objects.get(code="522301")
    )
    assess(make_facility("522301001"), checklist)
    with pytest.raises(ValidationError):
        services.checklist_update(
            actor=users["county"], checklist=checklist, name="六有", description="", items=["有场地"]
        )
    services.checklist_update(
        actor=users["county"],
        checklist=checklist,
        name="六有",
        description="",
        items=["有独立场地", "有设备", "有人员", "有项目", "有工作流程", "有规章制度"],
    )
    assert checklist.items.first().text == "有独立场地"


def test_a_county_s_checklist_is_seen_below_it_and_not_by_the_neighbour(users, login):
    checklist = services.checklist_copy(
        actor=None, checklist=template(), region=Region.objects.get(code="522301")
    )
    url = reverse("network:checklist_detail", args=[checklist.pk])
    assert login(users["worker"]).get(url).status_code == 200
    assert login(users["county2"]).get(url).status_code == 404


def test_a_worker_assesses_the_station_with_a_result_note_and_evidence_per_item(users, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    facility = make_facility("522301001")
    checklist = template()
    items = list(checklist.items.all())
    data = {"assessed_on": "2024-03-01", "note": "季度自评"}
    for index, item in enumerate(items):
        data[f"result_{item.pk}"] = "met" if index else "partly"
        data[f"note_{item.pk}"] = "场地偏小" if index == 0 else ""
    data[f"evidence_{items[0].pk}"] = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0jpeg")
    client = login(users["worker"])
    response = client.post(reverse("network:assessment_start", args=[facility.pk, checklist.pk]), data)
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("network:assessment_detail", args=[assessment.pk])
    first = assessment.results.get(item=items[0])
    assert (first.result, first.note, bool(first.evidence)) == ("partly", "场地偏小", True)
    assert client.get(reverse("network:evidence_file", args=[first.pk])).status_code == 200


def test_an_assessment_missing_an_item_is_refused_with_the_form_shown_again(users, login):
    facility = make_facility("522301001")
    checklist = template()
    item = checklist.items.first()
    response = login(users["county"]).post(
        reverse("network:assessment_start", args=[facility.pk, checklist.pk]),
        {"assessed_on": "2024-03-01", f"result_{item.pk}": "met"},
    )
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_compliance_counts_the_latest_assessment_of_each_station(users):
    a = make_facility("522301001")
    b = make_facility("522301002")
    assess(a, met=3, on=dt.date(2023, 1, 1))
    assess(a, met=6, on=dt.date(2023, 6, 1))  # supersedes the first
    assess(b, met=5)
    total = network_figures(user=users["county"], region=Region.objects.get(code="522301")).total
    assert (total.compliant, total.assessed) == (1, 2)
    assert (total.items_met, total.items) == (11, 12)
    assert total.compliance_rate == 50.0


def test_the_checklist_page_shows_compliance_by_region_and_item(users, login):
    assess(make_facility("522301001"), met=6)
    assess(make_facility("522302001"), met=0)
    response = login(users["prefecture"]).get(reverse("network:checklist_detail", args=[template().pk]))
    regions = {r.code: r for r in response.context["compliance"]["regions"]}
    assert regions["522301"].compliance_rate == 100.0
    assert regions["522302"].compliance_rate == 0.0
    first_item_stats = response.context["items"][0][1]
    assert (first_item_stats["met"], first_item_stats["n"]) == (1, 2)
