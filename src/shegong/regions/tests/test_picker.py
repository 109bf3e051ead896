"""The region picker: one field, one widget, one scoped endpoint searching by name and pinyin initials."""

import pytest
from django.urls import reverse

from shegong.clients.forms import PersonForm
from shegong.clients.models import Category
from shegong.regions.models import Level, Region
from shegong.regions.picker import RegionField, pick

pytestmark = pytest.mark.django_db


def _choices(client, **params) -> str:
    response = client.get(reverse("regions:pick"), params)
    assert response.status_code == 200
    return response.content.decode()


def _a_village(county: str) -> Region:
    return Region.objects.filter(level=Level.VILLAGE, code__startswith=county).order_by("code").first()


def test_the_worker_finds_a_village_of_their_township_by_name_and_by_pinyin_initials(users, login):
    village = _a_village("522301001")
    client = login(users["worker"])
    by_name = _choices(client, q=village.name, levels="5")
    assert f'data-region-choose="{village.code}"' in by_name
    by_initials = _choices(client, q=village.initials.lower()[:3], levels="5")
    assert f'data-region-choose="{village.code}"' in by_initials


def test_the_sibling_countys_villages_are_never_offered(users, login):
    sibling = _a_village("522302")
    client = login(users["county"])
    for params in (
        {"q": sibling.name},
        {"q": sibling.initials},
        {"q": sibling.code},
        {"under": sibling.code[:9]},
    ):
        assert f'="{sibling.code}"' not in _choices(client, levels="5", **params)
    found = pick(user=users["county"], term="村", levels=(5,))
    assert found["rows"]
    assert all(row["code"].startswith("522301") for row in found["rows"])


def test_browsing_cascades_from_the_jurisdiction_down_to_villages(users, login):
    client = login(users["county"])
    top = _choices(client, levels="5")
    assert 'data-region-browse="522301"' in top  # the county itself, to open
    townships = _choices(client, under="522301", levels="5")
    assert 'data-region-browse="522301001"' in townships
    assert "data-region-choose" not in townships  # a township is not a village: it only opens
    villages = _choices(client, under="522301001", levels="5")
    assert f'data-region-choose="{_a_village("522301001").code}"' in villages
    assert "兴义市" in villages  # the path above is shown


def test_a_user_without_the_regions_capability_gets_403(users, login):
    assert login(users["auditor"]).get(reverse("regions:pick"), {"q": "兴义"}).status_code == 403


def test_the_field_posts_a_code_of_the_levels_asked_and_shows_names_not_a_number_pad():
    field = RegionField(levels=(Level.VILLAGE,))
    assert field.clean("522301001001") == "522301001001"
    for bad, message in (("522301001", "村（社区）"), ("52230100100x", "数字")):
        with pytest.raises(Exception) as exc:
            field.clean(bad)
        assert message in str(exc.value)
    form = PersonForm(categories=Category.objects.none(), initial={"region": "522301001001"})
    html = str(form["region"])
    assert 'type="hidden" name="region"' in html
    assert 'value="522301001001"' in html
    assert _a_village("522301001").name in html or "兴义市" in html  # names shown, not the code
    assert 'inputmode="numeric"' not in html
