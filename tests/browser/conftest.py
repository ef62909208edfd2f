"""A live portal on 127.0.0.1 and a real Chromium driven by Playwright."""

import logging
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import migrations
from portal.db import database
from tests.conftest import make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Headless Chromium names itself HeadlessChrome, which click counting rightly
# takes for a bot; a test's visitor is a person on a phone.
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
LAYOUT_CHECK = (Path(__file__).parent / "layout_check.js").read_text()


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed; browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        yield chromium
        chromium.close()


# The development server logs every full path; the portal logs its own line.
logging.getLogger("werkzeug").setLevel(logging.WARNING)


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        app.config["PUBLIC_BASE_URL"] = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_app(tmp_path):
    """An app on its own migrated SQLite file, with CSRF and all checks on."""
    app = make_app(
        tmp_path,
        f"sqlite:///{tmp_path / 'portal.db'}",
        WTF_CSRF_ENABLED=True,
        SESSION_COOKIE_SECURE=False,
    )
    database.connect(reuse_if_open=True)
    migrations.upgrade(database)
    database.close()
    return app


@pytest.fixture
def live_server(live_app):
    server = LiveServer(live_app).start()
    yield server
    server.stop()
    database.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


def save_screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def axe_page(browser):
    """A phone-sized page whose context lets the test inject axe-core.

    axe is loaded only here, in tests, and the portal's own CSP stays on for
    every other page; bypassing it is what lets the engine's script run.
    """
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing; make test installs axe-core with npm")
        pytest.skip("axe-core is not installed; run make test")
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, bypass_csp=True
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page):
    """Run axe-core on the page; return its serious and critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def layout_problems(page):
    """Name what breaks a 360-pixel screen.

    Sideways scrolling, small targets, and words broken in squeezed table cells.
    """
    return page.evaluate(LAYOUT_CHECK)
