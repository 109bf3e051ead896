"""A social worker on a phone (390×844) records a visit worth having (issue 16.3/16.4): the checklist, a photo
taken with the camera (shrunk in the browser), a follow-up task; the session ends mid-form and nothing typed
is lost after logging in again. Then a service for the same person from the visit, and the printed record.

Taps and typed fields are counted for "record a visit" and "record a service" (the report quotes them)."""

import datetime as dt
import io
import json
import re
import subprocess

from conftest import ARTIFACTS, PASSWORD, PHONE, Count, end_session, server_now
from PIL import Image
from playwright.sync_api import expect


def _camera_photo(tmp_path):
    """A 3000×2000 JPEG, as a phone's camera takes it (a few MB)."""
    image = Image.effect_noise((3000, 2000), 60).convert("RGB")
    path = tmp_path / "camera.jpg"
    image.save(path, "JPEG", quality=95)
    return path


def test_on_a_phone_a_worker_records_a_visit_and_loses_nothing_when_the_session_ends(
    new_page, login, shot, tmp_path
):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "worker")
    page.goto("/people/")
    page.locator("table a[href^='/people/']").first.click()
    name = page.get_by_test_id("person-name").inner_text().split()[0]

    visit = Count()
    visit.tap(page.get_by_test_id("record-visit"))
    expect(page.get_by_test_id("visit-person")).to_contain_text(name)
    form_url = page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "60-phone-visit-form")

    # The checklist: housing unsafe, health fine (two taps, no typing).
    checklist = page.get_by_test_id("checklist")
    housing = checklist.locator("div.mb-2", has_text="住房是否安全")
    visit.tap(housing.locator("label", has_text="有问题"))
    visit.tap(checklist.locator("div.mb-2", has_text="身体状况").locator("label", has_text="正常"))
    visit.type(page.locator("#id_findings"), "屋顶漏雨，老人独居，需联系村委会修缮")
    # A photo from the camera: one tap on the file input; the browser shrinks it before upload.
    photo = _camera_photo(tmp_path)
    original = photo.stat().st_size
    page.set_input_files("#id_photos", str(photo))
    visit.taps += 1
    expect(page.locator("[data-photo-previews] img")).to_have_count(1)
    shrunk = page.evaluate("document.querySelector('#id_photos').files[0].size")
    assert shrunk < original / 3, (shrunk, original)
    visit.type(page.locator("#id_followup_task"), "联系村委会修缮房屋")
    # Owner (the worker) and due date (in 7 days) come filled in.
    assert page.locator("#id_followup_owner option:checked").count() == 1
    assert page.input_value("#id_followup_due_on")
    # The draft reaches the server while the worker types.
    with page.expect_response(lambda r: "/people/drafts/" in r.url and r.request.method == "POST"):
        page.locator("#id_needs").fill("需要房屋修缮救助")
    visit.typed += 1
    shot(page, "61-phone-visit-filled")

    # Two minutes before the session ends a warning offers to stay; staying renews the session.
    page.evaluate("window.shegongFieldwork.scheduleWarning(121)")
    warning = page.get_by_test_id("session-warning")
    expect(warning).to_be_visible(timeout=5000)
    expect(warning).to_contain_text("两分钟后超时")
    shot(page, "61b-phone-session-warning")
    with page.expect_response(lambda r: "/people/drafts/keepalive/" in r.url) as kept:
        page.get_by_test_id("stay-logged-in").click()
    assert kept.value.status == 200
    expect(warning).to_be_hidden()

    # The session ends; the worker taps save: the login page, then the same form with everything in it.
    end_session(page)
    visit.tap(page.get_by_test_id("save-visit"))
    expect(page.locator("#id_username")).to_be_visible()
    assert "/accounts/login/" in page.url
    shot(page, "62-phone-login-after-session-ended")
    page.fill("#id_username", "worker")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(form_url)
    expect(page.get_by_test_id("draft-restored")).to_be_visible()
    # It says when it was saved on the phone's clock (Beijing), not in UTC eight hours behind
    saved = re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", page.get_by_test_id("draft-restored").inner_text())
    assert saved and abs(dt.datetime.strptime(saved.group(), "%Y-%m-%d %H:%M") - server_now()) < dt.timedelta(
        minutes=10
    )
    assert page.input_value("#id_findings") == "屋顶漏雨，老人独居，需联系村委会修缮"
    assert page.input_value("#id_needs") == "需要房屋修缮救助"
    assert page.input_value("#id_followup_task") == "联系村委会修缮房屋"
    assert housing.locator("input[value=concern]").is_checked()
    assert page.evaluate("document.querySelector('#id_photos').files.length") == 1
    shot(page, "63-phone-visit-restored")
    visit.tap(page.get_by_test_id("save-visit"))

    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("visit-answers")).to_contain_text("住房是否安全")
    expect(page.get_by_test_id("followups")).to_contain_text("联系村委会修缮房屋")
    expect(page.locator("[data-testid=visit-photos] img")).to_have_count(1)
    page.wait_for_function("document.querySelector('[data-testid=visit-photos] img').naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "64-phone-visit-recorded")
    visit_url = page.url
    # The draft was dropped on both sides once the visit was saved.
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('shegong-draft')).length") == 0
    server = page.request.get(f"/people/drafts/?url={form_url.split('//', 1)[1].split('/', 1)[1]}")
    assert json.loads(server.text())["draft"] is None

    # The printed visit record: a PDF with the checklist and signature lines.
    pdf = page.request.get(visit_url + "print.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    out = ARTIFACTS / "visit-record.pdf"
    out.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "走访记录表" in text and "签名" in text and name in text

    # A service for the same person, from the visit.
    service = Count()
    service.tap(page.get_by_test_id("record-service-from-visit"))
    expect(page.get_by_test_id("person-served")).to_contain_text(name)
    page.select_option("#id_item", index=1)
    service.taps += 2  # open the select, pick the item
    service.tap(page.locator("form button[type=submit]").last)
    expect(page.locator(".alert-success")).to_be_visible()
    shot(page, "65-phone-service-from-visit")

    # The follow-up task is on the worker's list (the workbench shows the same include).
    page.goto("/people/followups/")
    expect(page.get_by_test_id("followups")).to_contain_text("联系村委会修缮房屋")
    shot(page, "66-phone-followups")

    (ARTIFACTS / "visit-counts.json").write_text(
        json.dumps({"record_a_visit": vars(visit), "record_a_service": vars(service)}, ensure_ascii=False)
    )
    print("record a visit:", visit, "record a service:", service)


def test_on_a_phone_several_people_are_picked_for_a_group_service(new_page, login, shot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "worker")
    page.goto("/people/")
    names = page.evaluate(
        "[...document.querySelectorAll('table a')].filter(a => /^\\/people\\/\\d+\\/$/.test(a.getAttribute('href')))"
        ".map(a => a.textContent.trim()).filter((n, i, all) => all.indexOf(n) === i).slice(0, 2)"
    )
    assert len(names) == 2, names
    page.goto("/cases/services/new/")
    count = Count()
    picker = page.locator("#id_person")
    for name in names:
        count.type(picker, name)
        results = page.get_by_test_id("picker-results")
        expect(results.locator("button").first).to_be_visible()
        count.tap(results.locator("button", has_text=name).first)
    expect(page.get_by_test_id("picked-people").locator("[data-id]")).to_have_count(2)
    count.type(page.locator("#id_group_name"), "老年人健康讲座")
    page.select_option("#id_item", index=1)
    count.taps += 2
    shot(page, "67-phone-group-service-picked")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    count.tap(page.locator("form button[type=submit]").last)
    expect(page.locator(".alert-success")).to_be_visible()
    print("group service for two people:", count)


def test_the_printed_file_and_visit_record_render_in_chinese(new_page, login, tmp_path):
    page = new_page(viewport={"width": 1440, "height": 900})
    login(page, "worker")
    page.goto("/people/")
    page.locator("table a[href^='/people/']").first.click()
    url = page.url
    pdf = page.request.get(url + "print.pdf")
    assert pdf.status == 200
    out = ARTIFACTS / "person-file.pdf"
    out.write_bytes(pdf.body())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(out), str(ARTIFACTS / "screenshots" / "68-person-file")],
        check=True,
    )
    assert io.BytesIO(pdf.body()).getvalue().startswith(b"%PDF")
