"""Journey 6 in Chromium: a manager opens the monthly report and downloads CSV."""

import csv
import io

from portal.cli import main
from tests.browser.conftest import save_screenshot
from tests.mail_helpers import eml_files, read_eml, sign_in_link

MANAGER = "manager@maplegrove.example"


def sign_in(page, server, email):
    """Ask for a link on /login and follow the one the outbox received."""
    before = len(eml_files(server.app))
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    files = eml_files(server.app)
    assert len(files) == before + 1
    page.goto(sign_in_link(read_eml(files[-1])))
    assert page.get_by_text("You are signed in.").is_visible()


def download(page, link_name):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = info.value.path()
    return info.value.suggested_filename, path.read_text(encoding="utf-8")


def test_manager_reads_the_monthly_report_and_downloads_csv(page, live_server):
    app = live_server.app
    result = app.test_cli_runner().invoke(main, ["demo"], catch_exceptions=False)
    assert "demo practice loaded" in result.output
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    sign_in(page, live_server, MANAGER)

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Reports", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text().startswith("Referral report for ")
    month = heading.inner_text().rsplit(" ", 1)[-1]
    page.get_by_label("Month", exact=True).fill(month)
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="By how they heard").wait_for()

    charts = page.locator("svg.chart")
    assert charts.count() >= 5
    for name in (
        "Sign-ups and new patients by how they heard",
        "Referral funnel",
        "Sign-ups and new patients, last 12 months",
    ):
        assert page.get_by_role("img", name=name).is_visible()
    table = page.locator("#sources table")
    assert table.get_by_role("rowheader", name="Patient referral").is_visible()
    assert page.get_by_role("heading", name="Ambassadors to re-engage").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing pushes the phone layout sideways
    total = int(page.locator("#total-signups").inner_text().replace(",", ""))
    save_screenshot(page, "monthly-report-390")

    name, text = download(page, "Download CSV")
    assert name == f"referrals-{month}.csv"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "key", "metric", "value"]
    assert ["totals", month, "signups", str(total)] in rows

    page.get_by_role("link", name="Export sign-ups").click()
    page.get_by_role("heading", name="Export sign-ups").wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    text = info.value.path().read_text(encoding="utf-8")
    exported = list(csv.DictReader(io.StringIO(text)))
    assert len(exported) == total
    assert {"source", "channel", "ambassador_member_id"} <= set(exported[0])
    assert errors == []


def test_the_report_prints_without_the_controls(page, live_server):
    app = live_server.app
    app.test_cli_runner().invoke(main, ["demo"], catch_exceptions=False)
    sign_in(page, live_server, MANAGER)
    page.goto(live_server.url + "/reports/monthly")
    page.emulate_media(media="print")
    assert not page.locator("form.month-form").is_visible()
    assert not page.get_by_role("link", name="Download CSV").is_visible()
    assert page.locator("svg.chart").first.is_visible()
    save_screenshot(page, "monthly-report-print")
