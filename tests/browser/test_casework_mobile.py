"""A social worker on a phone (390×844): logs a visit from the overdue ledger, opens a case from the file,
and takes it to the plan, which goes to the supervisor for approval."""

import re

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_on_a_phone_a_worker_logs_a_visit_opens_a_case_and_sends_its_plan_for_approval(new_page, login, shot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "worker")

    # The overdue ledger of the worker's township: record a visit to the first person on it.
    page.goto("/people/visits/due/")
    # On a phone the ledger is cards, not a table that scrolls sideways.
    expect(page.get_by_test_id("ledger-cards")).to_be_visible()
    expect(page.get_by_test_id("ledger")).to_be_hidden()
    shot(page, "40-phone-visits-overdue")
    page.locator("[data-testid=ledger-cards] a.btn").first.click()
    expect(page.get_by_test_id("visit-person")).to_be_visible()
    name = page.get_by_test_id("visit-person").locator("strong").inner_text()
    file_url = page.get_by_test_id("visit-person").locator("a").get_attribute("href")
    _fits(page)
    shot(page, "41-phone-visit-form")
    page.fill("#id_findings", "身体尚可，情绪稳定")
    page.get_by_test_id("save-visit").click()
    expect(page.locator(".alert-success")).to_contain_text(name)

    # Open that person's file and open a case for them.
    page.goto(file_url)
    expect(page.get_by_test_id("person-name")).to_contain_text(name)
    page.get_by_test_id("open-case").click()
    page.fill("#id_presenting_problem", "独居，生活照料困难")
    page.check("#id_agreement_signed")
    page.get_by_test_id("open-case-submit").click()
    expect(page.get_by_test_id("case-stage")).to_have_text("接案")
    _fits(page)

    # Intake → assessment → plan, then the plan goes to the supervisor.
    page.get_by_test_id("move-assessment").click()
    expect(page.get_by_test_id("case-stage")).to_have_text("预估")
    page.fill("#id_need_livelihood", "收入低，做饭困难")
    page.fill("#id_assessment_report", "需要助餐与情绪支持")
    page.get_by_test_id("save-stage").click()
    page.get_by_test_id("move-plan").click()
    expect(page.get_by_test_id("case-stage")).to_have_text(re.compile("计划"))
    page.fill("#id_plan_goals", "三个月内解决吃饭问题")
    page.fill("#id_plan_actions", "链接助餐点；每两周入户")
    page.fill("#id_plan_timetable", "第一个月链接资源")
    page.get_by_test_id("save-stage").click()
    page.get_by_test_id("move-intervention").click()
    expect(page.get_by_test_id("pending-approval")).to_be_visible()
    expect(page.get_by_test_id("case-stage")).to_have_text(re.compile("计划"))
    _fits(page)
    shot(page, "42-phone-plan-sent-for-approval")
