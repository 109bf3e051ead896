"""Browser tests: the real demo server in a subprocess, driven by Debian's Chromium through Playwright.

The server is set up exactly as `make demo` does it (migrate, load_regions --province 52, demo_setup, rundemo),
in a fresh data directory, so these tests see what a visitor of the demo sees. Playwright's own browser
download is not used: the tests launch /usr/bin/chromium (apt-get install chromium fonts-noto-cjk).
Screenshots go to artifacts/screenshots/, the server's log to artifacts/browser-demo-server.log.
"""

import datetime as dt
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
SERVER_LOG = ARTIFACTS / "browser-demo-server.log"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "Shegong@2025"
STARTUP_TIMEOUT = 90  # seconds for /healthz to answer once rundemo is started
CJK = re.compile(r"[\u4e00-\u9fff]")
PHONE = {"width": 390, "height": 844}


def server_now() -> dt.datetime:
    """The demo server's and the test browser's clock, Asia/Shanghai (these tests run without Django's settings)."""
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)


def server_today() -> dt.date:
    return server_now().date()


# Settings that would take the demo off its own SQLite file and in-process job worker.
_ENV_DROPPED = ("DATABASE_URL", "REDIS_URL", "SHEGONG_TESTING", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")


def pytest_collection_modifyitems(config, items):
    """Tests marked `last` run after all others, in their own order."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so that fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def pytest_sessionstart(session):
    """Screenshots of an earlier run would mislead: start from an empty folder."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """Base URL of a demo server with Guizhou's divisions and the demo accounts, in a fresh data dir."""
    vendor = ROOT / "src" / "shegong" / "static" / "vendor" / "htmx" / "htmx.min.js"
    if not vendor.exists():
        pytest.fail(f"{vendor} is missing: run `make static` first (make browser-test does)")
    data_dir = tmp_path_factory.mktemp("shegong-demo")
    env = {k: v for k, v in os.environ.items() if k not in _ENV_DROPPED}
    env.update(SHEGONG_DATA_DIR=str(data_dir), SHEGONG_DEMO="1", PYTHONUNBUFFERED="1")
    ARTIFACTS.mkdir(exist_ok=True)
    shegong = str(BIN / "shegong")
    with SERVER_LOG.open("w") as log:
        for step in (
            ["migrate", "--no-input", "-v", "0"],
            ["load_regions", "--province", "52"],
            ["demo_setup"],
            ["demo_network"],
            ["demo_casework"],
            ["demo_projects"],
        ):
            log.write(f"$ shegong {' '.join(step)}\n")
            log.flush()
            result = subprocess.run(
                [shegong, *step], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=300
            )
            if result.returncode:
                pytest.fail(f"shegong {' '.join(step)} failed:\n{_tail(SERVER_LOG)}")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = SERVER_LOG.open("a")
    log.write(f"$ shegong rundemo --port {port}\n")
    log.flush()
    # A session of its own, so that the teardown can stop the server and its job worker together.
    server = subprocess.Popen(
        [shegong, "rundemo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _healthy(f"{base_url}/healthz"):
            if server.poll() is not None:
                pytest.fail(f"rundemo exited with {server.returncode}:\n{_tail(SERVER_LOG)}")
            if time.monotonic() > deadline:
                pytest.fail(f"rundemo did not answer /healthz in {STARTUP_TIMEOUT} s:\n{_tail(SERVER_LOG)}")
            time.sleep(0.3)
        yield base_url
    finally:
        _stop(server)
        log.close()


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    # The job worker (and its reloader child) share the group; make sure none outlives the tests.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=5)


@pytest.fixture
def server_log(demo_server) -> Path:
    """The demo server's output (runserver, job worker), for diagnosing a failure."""
    return SERVER_LOG


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium fonts-noto-cjk")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(request, browser, demo_server):
    """Open a page in a fresh browser context (own cookies); keyword arguments go to new_context.

    Every page fails its test at teardown if a script threw or the Content-Security-Policy blocked
    something, since either means a part of the page silently does not work. When the test fails, each of
    its pages is saved as artifacts/screenshots/FAILED-<test>-<n>.png as it was at the failure."""
    contexts, pages, problems = [], [], []

    def make(**options) -> Page:
        options.setdefault("locale", "zh-CN")
        options.setdefault("timezone_id", "Asia/Shanghai")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=demo_server, accept_downloads=True, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"script error on {page.url}: {exc}"))
        page.on(
            "console",
            lambda msg: (
                problems.append(f"console on {page.url}: {msg.text}")
                if msg.type == "error" and "Content Security Policy" in msg.text
                else None
            ),
        )
        pages.append(page)
        return page

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(pages, start=1):
            try:
                page.screenshot(
                    path=str(SCREENSHOTS / f"FAILED-{request.node.name}-{number}.png"), full_page=True
                )
            except Exception as exc:  # a screenshot must not hide the test's own failure
                print(f"no failure screenshot of {page.url}: {exc}")
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def login():
    """login(page, username, password=PASSWORD) submits the login form and returns the response."""

    def do_login(page: Page, username: str, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation() as navigation:
            page.click("form button[type=submit]")
        return navigation.value

    return do_login


@pytest.fixture
def menu():
    """menu(page, href) follows a link of the side menu: on a phone it opens the menu first, and it opens the
    link's group when the group is folded."""

    def follow(page: Page, href: str) -> None:
        toggle = page.get_by_test_id("menu-toggle")
        if toggle.is_visible():
            toggle.click()
            page.locator("#mainnav.show").wait_for()
        link = page.locator(f"#mainnav a[href='{href}']").first
        if not link.is_visible():
            group = link.locator("xpath=ancestor::div[contains(@class, 'collapse')][1]").get_attribute("id")
            page.locator(f"#mainnav [data-bs-target='#{group}']").click()
            link.wait_for(state="visible")
        link.click()

    return follow


@pytest.fixture
def shot():
    """shot(page, name) saves a full-page screenshot as artifacts/screenshots/<name>.png."""

    def take(page: Page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def assert_chinese(text: str) -> None:
    assert CJK.search(text), f"expected Chinese text, got {text!r}"


@pytest.fixture
def chinese():
    """chinese(locator_or_text) asserts the text is (at least partly) Chinese."""

    def check(target):
        text = target if isinstance(target, str) else target.inner_text()
        assert_chinese(text)
        return text

    return check


class Count:
    """Taps and typed fields of one task."""

    def __init__(self):
        self.taps = 0
        self.typed = 0

    def tap(self, locator):
        locator.click()
        self.taps += 1

    def type(self, locator, text):
        locator.fill(text)
        self.typed += 1

    def __repr__(self):
        return f"taps={self.taps} typed={self.typed}"


def end_session(page: Page) -> None:
    """The session ends (as after 30 minutes idle): the session cookie is gone; the CSRF cookie stays."""
    context = page.context
    kept = [c for c in context.cookies() if c["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(kept)


def submit_import_and_wait(page: Page) -> str:
    """Submit the import form, wait on the import's page until it has run; its state (data-state)."""
    with page.expect_navigation():
        page.locator("[data-testid=import-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]{36}/$"))
    status = page.get_by_test_id("import-status")
    expect(status).not_to_have_attribute("data-state", "running", timeout=60_000)
    return status.get_attribute("data-state")
