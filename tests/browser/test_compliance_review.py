"""Counsel review: lower the cap, sign the new version, read and export."""

import json

from portal.db import database
from portal.models import StaffUser
from tests import recognition_support as support
from tests.browser.conftest import save_screenshot
from tests.browser.test_recognition import sign_in_by_email

OFFICER_EMAIL = "officer@maple.example"


def seed(app):
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            StaffUser.create(
                email=OFFICER_EMAIL, name="Casey Officer", role="compliance"
            )
            support.signed_policy()
            support.catalog()
        finally:
            database.close()


def test_the_officer_lowers_the_cap_signs_and_exports(page, live_server):
    seed(live_server.app)
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    sign_in_by_email(page, live_server, OFFICER_EMAIL)

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Compliance"
    ).click()
    page.get_by_role("heading", name="Compliance", level=1).wait_for()
    page.get_by_role("link", name="Change the policy").click()
    page.get_by_label("Annual cap per member (dollars, calendar year)").fill("50")
    page.get_by_label("What changed and why").fill("Counsel asked for a lower cap")
    page.get_by_role("button", name="Save as a new version").click()

    pending = page.locator("#pending-version")
    pending.get_by_role("heading", name="Version 2 awaits your sign-off").wait_for()
    assert "annual_cap_cents" in pending.inner_text()
    pending.get_by_role("button", name="Sign version 2").click()
    page.get_by_text("Version 2 is signed and in effect.").wait_for()
    assert "Annual cap per member: $50.00" in page.locator("main").inner_text()

    page.get_by_role("link", name="Read the document").click()
    document = page.locator("article.program-document")
    text = document.inner_text()
    assert "Annual cap per member: $50.00." in text
    assert "Counsel asked for a lower cap" in text and "superseded" in text
    save_screenshot(page, "program-document-390")

    page.goto(live_server.url + "/compliance/")
    verification = page.locator("#audit-verification")
    assert "Intact" in verification.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export JSON lines").click()
    lines = download.value.path().read_text().splitlines()
    actions = [json.loads(line)["action"] for line in lines]
    assert actions.count("policy.signed") == 2 and "account.signed_in" in actions
    assert problems == []
