import pytest
from django.urls import reverse

from shegong.regions.models import Region
from shegong.testing import verified_login


@pytest.fixture
def county_client(client, users):
    verified_login(client, users["county"])
    return client


@pytest.mark.django_db
def test_region_page_shows_breadcrumb_children_and_counts_at_every_level(county_client):
    response = county_client.get(reverse("regions:detail", args=["522301"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "黔西南布依族苗族自治州" in html and "贵州省" in html
    townships = Region.objects.filter(parent_id="522301").count()
    villages = Region.objects.filter(level=5, code__startswith="522301").count()
    assert response.context["levels"][0][1] == townships
    assert response.context["levels"][1][1] == villages
    assert len(response.context["children"]) == townships


@pytest.mark.django_db
def test_breadcrumb_links_only_inside_the_jurisdiction(county_client):
    response = county_client.get(reverse("regions:detail", args=["522301001"]))
    crumbs = response.context["breadcrumb"]
    assert [c["code"] for c in crumbs] == ["52", "5223", "522301"]
    assert [c["linkable"] for c in crumbs] == [False, False, True]


@pytest.mark.django_db
def test_search_finds_by_pinyin_initials_and_by_name_within_jurisdiction(county_client):
    township = Region.objects.filter(parent_id="522301").first()
    response = county_client.get(reverse("regions:search"), {"q": township.initials.lower()})
    assert township in list(response.context["results"])
    response = county_client.get(reverse("regions:search"), {"q": "兴仁"})
    assert all(r.code.startswith("522301") for r in response.context["results"])


@pytest.mark.django_db
def test_population_form_rejects_text_and_keeps_the_old_value(county_client):
    response = county_client.post(reverse("regions:population", args=["522301"]), {"population": "很多"})
    assert response.status_code == 302
    assert Region.objects.get(code="522301").population is None


@pytest.mark.django_db
def test_scope_change_needs_a_reason_and_is_recorded(county_client, users):
    url = reverse("regions:scope", args=["522301001"])
    county_client.post(url, {"reason": ""})
    assert Region.objects.get(code="522301001").in_scope is True
    county_client.post(url, {"reason": "已并入相邻街道"})
    township = Region.objects.get(code="522301001")
    assert township.in_scope is False
    assert township.scope_reason == "已并入相邻街道"
    assert township.scope_changed_by == users["county"]
