"""The built-in survey in Chromium: a visit without a signal gets a survey email;
a 10 shows the share card at once, a 3 is met with an apology and a staff
alert, and a link already used is refused politely."""

import email
import json
import re
from email import policy
from pathlib import Path

import pytest

from portal.api import keys
from portal.db import database, utcnow
from portal.models import (
    Location,
    Member,
    PracticeSettings,
    Prompt,
    PromptRule,
    RecoveryAlert,
    ServiceLine,
    StaffUser,
    Survey,
)
from portal.prompts import delivery
from tests.browser.conftest import AXE, PHONE, axe_violations, save_screenshot
from tests.conftest import sign_in

SCORE_LINK = re.compile(r"^(\d+): (http://\S+/survey/\S+)$", re.M)


@pytest.fixture
def practice(live_server):
    app = live_server.app
    with app.app_context():
        database.connect(reuse_if_open=True)
        PracticeSettings.create(
            id=1,
            name="Maple Grove Direct Care",
            postal_address="120 Harbor Street, Raleigh, NC 27601",
            help_phone="+1 919 555 0142",
            # No quiet hours in the way whenever the suite runs.
            timezone="UTC",
            survey_enabled=True,
            survey_delay_hours=3,
        )
        PromptRule.create(service_line=None, quiet_start="00:00", quiet_end="00:00")
        ServiceLine.create(name="Primary care", slug="primary-care")
        Location.create(name="Downtown", slug="downtown")
        for n, name in enumerate(("Ana", "Ben")):
            Member.create(
                email=f"{name.lower()}@example.com",
                first_name=name,
                external_id=f"EHR-{n}",
            )
        key, _ = keys.create("ehr", "ingest")
        desk = StaffUser.create(email="desk@maple.example", role="staff")
        database.close()
    return key, desk


@pytest.fixture
def phone(browser):
    # Headless Chromium calls itself HeadlessChrome, which the survey takes for
    # a mail scanner; the patient taps from a phone. axe needs the CSP lifted.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, user_agent=PHONE, bypass_csp=True
    )
    page = context.new_page()
    yield page
    context.close()


def deliver_visit(page, server, key, external_id, member):
    """Post one visit without a signal, then run the sweep when its survey is due."""
    body = {
        "visits": [
            {
                "external_id": external_id,
                "member_external_id": member,
                "service_line": "primary-care",
                "location": "downtown",
                "visited_at": utcnow().isoformat() + "+00:00",
            }
        ]
    }
    with server.app.app_context():
        database.connect(reuse_if_open=True)
        answer = page.request.post(
            f"{server.url}/api/v1/visits",
            data=json.dumps(body),
            headers={
                "Authorization": f"Bearer {key}",
                "Content-Type": "application/json",
            },
        )
        assert answer.status == 200 and answer.json()["surveys_scheduled"] == 1
        survey = Survey.select().order_by(Survey.id.desc()).first()
        assert delivery.run_due(survey.scheduled_for).surveys_sent == 1
        database.close()


def score_links(app):
    """Read the newest .eml in the outbox and return {score: address}."""
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    newest = sorted(folder.glob("*.eml"))[-1]
    message = email.message_from_bytes(newest.read_bytes(), policy=policy.default)
    assert message["Subject"] == "How was your visit to Maple Grove Direct Care?"
    text = message.get_body(("plain",)).get_content()
    assert "How likely are you to recommend us" in text
    links = {int(score): url for score, url in SCORE_LINK.findall(text)}
    assert sorted(links) == list(range(11))
    return message["To"], links


def check_accessible(page):
    if AXE.exists():
        assert axe_violations(page) == []


def test_a_promoter_gets_the_share_card_and_a_detractor_an_apology(
    phone, live_server, practice
):
    key, desk = practice
    app = live_server.app

    deliver_visit(phone, live_server, key, "V-1", "EHR-0")
    to, links = score_links(app)
    assert to == "ana@example.com"

    phone.goto(links[10])
    result = phone.locator("#survey-result")
    assert result.get_attribute("data-outcome") == "share"
    assert phone.get_by_role("heading", level=1).inner_text().startswith("Thank you")
    assert phone.get_by_role("link", name="Text a friend").is_visible()
    address = phone.get_by_role("textbox", name="Your referral link").input_value()
    assert "/r/" in address and "c=email" in address
    qr = phone.get_by_alt_text("QR code for your referral link")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    check_accessible(phone)
    save_screenshot(phone, "survey-promoter-390")

    deliver_visit(phone, live_server, key, "V-2", "EHR-1")
    to, sorry_links = score_links(app)
    assert to == "ben@example.com"
    phone.goto(sorry_links[3])
    assert phone.locator("#survey-result").get_attribute("data-outcome") == "sorry"
    assert "We are sorry your visit fell short" in phone.content()
    assert phone.get_by_role("link", name="Text a friend").count() == 0
    check_accessible(phone)
    save_screenshot(phone, "survey-detractor-390")
    phone.get_by_role("button", name="Yes, please contact me").click()
    phone.wait_for_selector("text=We will be in touch")

    phone.goto(sorry_links[3])
    assert phone.get_by_role("heading", level=1).inner_text() == (
        "You have already answered"
    )
    phone.goto(sorry_links[9])
    assert "each survey link can be used only once" in phone.content()
    save_screenshot(phone, "survey-used-link-390")

    with app.app_context():
        database.connect(reuse_if_open=True)
        alert = RecoveryAlert.get()
        assert alert.member.email == "ben@example.com" and alert.wants_contact
        prompts = {p.member.email: (p.status, p.reason_code) for p in Prompt.select()}
        assert prompts == {
            "ana@example.com": ("sent", "promoter"),
            "ben@example.com": ("suppressed", "detractor"),
        }
        client = app.test_client()
        sign_in(client, f"s:{desk.id}:{desk.session_version}")
        alerts = client.get("/staff/prompts/alerts").get_data(as_text=True)
        assert f'id="alert-{alert.id}"' in alerts and "Asked to be contacted" in alerts
        database.close()
