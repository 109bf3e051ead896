"""The social worker's day on a 390×844 phone, as issue 16's "Done means" puts it, in one story: the worker logs
in, sees the workbench, opens the most overdue person, records a visit with a checklist, a photo and a follow-up
task (the session ends while typing and nothing is lost), records a service for the same person from the
person's file, sees the task on the workbench and chooses a village by name. Taps and typed fields of "record a
visit" and "record a service" are counted and written to artifacts/worker-day-counts.json (docs/fieldwork.md
quotes them).

Then: drafts on the other forms a worker fills (a case's stage record, a group activity) survive the end of the
session; and every page a worker uses is photographed at 390×844 and does not scroll sideways, nor does any
table in it."""

import json
import re

from conftest import ARTIFACTS, PASSWORD, PHONE, Count, end_session
from PIL import Image
from playwright.sync_api import expect


def _phone(new_page):
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def _camera_photo(tmp_path):
    image = Image.effect_noise((2400, 1800), 60).convert("RGB")
    path = tmp_path / "camera.jpg"
    image.save(path, "JPEG", quality=92)
    return path


def _log_in_again(page, back_to):
    expect(page.locator("#id_username")).to_be_visible()
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "worker")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(back_to)
    expect(page.get_by_test_id("draft-restored").first).to_be_visible()


def _overflow(page):
    """How far the page, and each table's box, reach beyond the screen's width (0: nothing scrolls sideways)."""
    page.wait_for_load_state("load")
    return page.evaluate(
        """() => {
        const el = document.scrollingElement, width = window.innerWidth;
        const tables = [...document.querySelectorAll('table')].filter(t => t.offsetParent !== null).map(t => {
            const box = t.closest('.table-responsive') || t.parentElement;
            return Math.max(box.scrollWidth - box.clientWidth, t.getBoundingClientRect().right - width);
        });
        return {page: el.scrollWidth - width, tables: Math.max(0, ...tables)};
    }"""
    )


def _fits(page):
    over = _overflow(page)
    assert over["page"] <= 0 and over["tables"] <= 1, (page.url, over)


def test_a_workers_day_on_a_phone(new_page, login, shot, tmp_path):
    page = _phone(new_page)
    login(page, "worker")
    expect(page.locator("h1")).to_have_text("工作台")
    _fits(page)
    shot(page, "w01-workbench")

    # The most overdue of the worker's due people (the workbench lists the riskiest first).
    rows = page.get_by_test_id("due-person")
    assert rows.count() > 0
    overdue = [int(r.locator("[data-overdue]").get_attribute("data-overdue") or 0) for r in rows.all()]
    most = overdue.index(max(overdue))

    visit = Count()
    link = rows.nth(most).locator("a.fw-bold")
    name = link.inner_text().strip()
    visit.tap(link)
    expect(page.get_by_test_id("person-name")).to_contain_text(name)
    person_url = page.url
    visit.tap(page.get_by_test_id("record-visit"))
    expect(page.get_by_test_id("visit-person")).to_contain_text(name)
    form_url = page.url
    _fits(page)

    checklist = page.get_by_test_id("checklist")
    housing = checklist.locator("div.mb-2", has_text="住房是否安全")
    visit.tap(housing.locator("label", has_text="有问题"))
    visit.tap(checklist.locator("div.mb-2", has_text="身体状况").locator("label", has_text="正常"))
    visit.type(page.locator("#id_findings"), "屋顶漏雨，需联系村委会修缮")
    page.set_input_files("#id_photos", str(_camera_photo(tmp_path)))
    visit.taps += 1  # one tap on the camera button
    expect(page.locator("[data-photo-previews] img")).to_have_count(1)
    with page.expect_response(lambda r: "/people/drafts/" in r.url and r.request.method == "POST"):
        visit.type(page.locator("#id_followup_task"), "联系村委会修缮房屋")
    shot(page, "w02-visit-typed")

    # The session ends while the worker is on the form; the save brings the login page, then the same form
    # with everything in it, the photo too.
    end_session(page)
    visit.tap(page.get_by_test_id("save-visit"))
    _log_in_again(page, form_url)
    assert page.input_value("#id_findings") == "屋顶漏雨，需联系村委会修缮"
    assert page.input_value("#id_followup_task") == "联系村委会修缮房屋"
    assert housing.locator("input[value=concern]").is_checked()
    assert page.evaluate("document.querySelector('#id_photos').files.length") == 1
    shot(page, "w03-visit-restored")
    page.get_by_test_id("save-visit").click()  # the same tap again: not counted twice
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("followups")).to_contain_text("联系村委会修缮房屋")
    expect(page.locator("[data-testid=visit-photos] img")).to_have_count(1)
    _fits(page)
    shot(page, "w04-visit-recorded")

    # A service for the same person, from the person's file.
    service = Count()
    page.goto(person_url)  # (the person's name on the visit record leads there too)
    service.tap(page.get_by_test_id("record-service"))
    expect(page.get_by_test_id("person-served")).to_contain_text(name)
    _fits(page)
    page.select_option("#id_item", index=1)
    service.taps += 2  # open the list, pick the item
    service.tap(page.locator("form button[type=submit]").last)
    expect(page.locator(".alert-success")).to_be_visible()
    shot(page, "w05-service-recorded")

    # The task is on the workbench.
    page.get_by_test_id("bottom-bar").locator("[data-place=home]").click()
    expect(page.locator("h1")).to_have_text("工作台")
    task = page.get_by_test_id("slot-followups")
    expect(task).to_contain_text(f"{name}：联系村委会修缮房屋")
    task.scroll_into_view_if_needed()
    shot(page, "w06-workbench-with-task")

    # A village is chosen by its name: the visit ledger narrowed to 红星社区.
    page.get_by_test_id("bottom-bar").locator("[data-place=visits]").click()
    search = page.locator("#id_filter_region_picker")
    search.type("红星", delay=40)
    choice = page.locator("#id_filter_region_choices [data-region-choose]", has_text="红星社区").first
    expect(choice).to_be_visible()
    choice.click()
    expect(page.locator("#id_filter_region")).to_have_value("522301001003")
    page.locator("form[method=get] button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"region=522301001003"))
    expect(search).to_have_value(re.compile("红星社区"))
    _fits(page)
    shot(page, "w07-ledger-by-village")

    counts = {"record_a_visit": vars(visit), "record_a_service": vars(service)}
    (ARTIFACTS / "worker-day-counts.json").write_text(json.dumps(counts, ensure_ascii=False))
    print("record a visit:", visit, "record a service:", service)
    # What docs/fieldwork.md reports: a visit in 6 taps and 2 typed fields from the workbench, a service in
    # 4 taps and none from the person's file.
    assert (visit.taps, visit.typed) == (6, 2), visit
    assert (service.taps, service.typed) == (4, 0), service


def test_case_records_and_group_activities_keep_what_was_typed_when_the_session_ends(new_page, login, shot):
    page = _phone(new_page)
    login(page, "worker")

    # A case's stage record (assessment, plan...) on the case page, which holds several forms.
    page.goto("/cases/")
    hrefs = page.evaluate(
        "[...document.querySelectorAll('a')].map(a => a.getAttribute('href')).filter(h => /^\\/cases\\/\\d+\\/$/.test(h))"
    )
    stage = None
    for href in dict.fromkeys(hrefs):
        page.goto(href)
        if page.get_by_test_id("stage-form").count():
            stage = page.get_by_test_id("stage-form")
            break
    assert stage is not None, "the worker has no case with a stage record to write"
    case_url = page.url
    box = stage.locator("textarea").first
    box.fill("服务对象情绪低落，需每周电话跟进")
    page.wait_for_timeout(300)
    end_session(page)
    page.get_by_test_id("save-stage").click()
    _log_in_again(page, case_url)
    assert (
        page.get_by_test_id("stage-form").locator("textarea").first.input_value()
        == "服务对象情绪低落，需每周电话跟进"
    )
    shot(page, "w10-case-record-restored")

    # A group activity.
    page.goto("/community/activities/new/")
    form_url = page.url
    page.select_option("#id_station", index=1)
    station = page.input_value("#id_station")
    page.fill("#id_title", "重阳节敬老活动")
    page.fill("#id_summary", "村委会活动室，三十位老人参加")
    page.wait_for_timeout(300)
    end_session(page)
    page.get_by_test_id("activity-form").locator("button[type=submit]").last.click()
    _log_in_again(page, form_url)
    assert page.input_value("#id_title") == "重阳节敬老活动"
    assert page.input_value("#id_summary") == "村委会活动室，三十位老人参加"
    assert page.input_value("#id_station") == station
    page.get_by_test_id("activity-form").locator("button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_be_visible()
    # Saved: the draft is gone, so the empty form opens empty.
    page.goto(form_url)
    expect(page.get_by_test_id("draft-restored")).to_have_count(0)
    assert page.input_value("#id_title") == ""
    shot(page, "w11-activity-draft-gone-after-save")


def _first(page, list_url, pattern):
    page.goto(list_url)
    hrefs = page.evaluate(
        "(p) => [...document.querySelectorAll('a')].map(a => a.getAttribute('href')).filter(h => h && new RegExp(p).test(h))",
        pattern,
    )
    return hrefs[0] if hrefs else None


def test_every_page_a_worker_uses_fits_a_phone(new_page, login, shot):
    page = _phone(new_page)
    login(page, "worker")
    pages = [
        "/",
        "/workbench/me/",
        "/people/",
        "/people/new/",
        "/people/visits/",
        "/people/visits/due/",
        "/people/followups/",
        "/cases/",
        "/cases/services/",
        "/cases/services/new/",
        "/cases/referrals/",
        "/community/activities/",
        "/community/activities/new/",
        "/community/groups/",
        "/community/volunteers/",
        "/hotline/",
        "/hotline/new/",
        "/workbench/notices/",
        "/imports/",
        "/regions/",
        "/jobs/",
    ]
    person = _first(page, "/people/", r"^/people/\d+/$")
    pages += [person, person + "visit/", person + "edit/"]
    pages.append(_first(page, "/people/visits/", r"^/people/visits/\d+/$"))
    pages.append(_first(page, "/cases/", r"^/cases/\d+/$"))
    pages.append(_first(page, "/community/activities/", r"^/community/activities/\d+/$"))
    pages.append(_first(page, "/community/groups/", r"^/community/groups/\d+/$"))
    pages.append(_first(page, "/hotline/", r"^/hotline/\d+/$"))
    wide = {}
    for number, url in enumerate(p for p in pages if p):
        response = page.goto(url)
        assert response.status < 400, (url, response.status)
        over = _overflow(page)
        if over["page"] > 0 or over["tables"] > 1:
            wide[url] = over
        shot(page, f"w2{number:02d}-{url.strip('/').replace('/', '-') or 'home'}")
    assert not wide, f"pages or tables wider than a 390 px phone: {wide}"
