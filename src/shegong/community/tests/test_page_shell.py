"""What the community's pages show around their records: the breadcrumb of a record's page names its list, the
tab of that list is the one marked active, and mutual-aid money reads in 万元 as in the monthly bulletin (bulletins/formats.py wan_yuan)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from shegong.community.tests.factories import make_meeting, make_project, make_rule

pytestmark = pytest.mark.django_db


def _get(client, url: str):
    with translation.override("zh-hans"):
        return client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_deliberation_form_breadcrumb_names_the_deliberation_list_not_the_figures(login, users):
    response = _get(login(users["county"]), reverse("community:deliberation_create"))
    last = response.context["crumbs"][-1]
    assert (str(last["label"]), last["url"]) == ("议事协商", reverse("community:deliberation_list"))
    assert all("统计" not in str(crumb["label"]) for crumb in response.context["crumbs"])


def _active_tabs(html: str) -> list[str]:
    tabs = html.split('data-testid="community-tabs"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'class="nav-link active"[^>]*>([^<]*)<', tabs)


@pytest.mark.parametrize("page", ["deliberation_list", "deliberation_create", "deliberation_detail"])
def test_every_deliberation_page_marks_the_deliberation_tab_active_and_no_other(login, users, page):
    args = [make_meeting().pk] if page == "deliberation_detail" else []
    response = _get(login(users["county"]), reverse(f"community:{page}", args=args))
    assert response.status_code == 200
    assert _active_tabs(response.content.decode()) == ["议事协商"]
    assert str(response.context["crumbs"][-1]["label"]) == "议事协商"


def test_a_mutual_aid_project_page_names_its_list_as_the_list_of_charitable_resources(login, users):
    response = _get(login(users["county"]), reverse("community:project_create"))
    assert response.context["crumbs"][-1]["url"] == reverse("community:project_list")


def test_mutual_aid_money_reads_in_wan_yuan_on_the_mutual_aid_and_figures_pages(login, users):
    project = make_project("522301001001", "118460", name="幸福家园互助", target="200000")
    rule = make_rule("522301", "10", name="县配捐", actor=users["county"])
    client = login(users["county"])
    listed = _get(client, reverse("community:project_list")).content.decode()
    assert 'data-testid="raised-total">11.85万元<' in listed
    assert f'data-testid="matched-{rule.pk}">1.18万元<' in listed  # 10% of 118,460 = 11,846 yuan
    assert "118,460.00" not in listed
    matching = _get(client, reverse("community:project_matching", args=[project.pk])).content.decode()
    assert 'data-testid="raised">11.85万元<' in matching
    figures = _get(client, reverse("community:figures") + "?region=522301").content.decode()
    assert "11.85万元 / 1.18万元" in figures
