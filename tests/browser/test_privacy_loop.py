"""The whole referral loop in Chromium, watched for patient data in logs and URLs.

A visit arrives with an NPS of 10 for a member with a distinctive name, email
and phone; the prompt goes out; the member opens the share page and signs in
by the emailed link; a friend opens the referral link and signs up with
distinctive details; staff move the sign-up on. Every log record of the
portal, the web server and the worker, and every address any of the browsers
asked for, is then searched for those details and for the score.
"""

import email
import json
import logging
import re
from email import policy
from pathlib import Path
from urllib.parse import unquote_plus

import pytest

from portal.api import keys
from portal.db import database, utcnow
from portal.models import (
    Location,
    Member,
    PracticeSettings,
    Prompt,
    PromptRule,
    ServiceLine,
    SignUp,
    StaffUser,
)
from portal.prompts import delivery
from tests.browser.conftest import PHONE as PHONE_UA
from tests.browser.conftest import save_screenshot

MEMBER = {
    "first_name": "Wilhelmina",
    "last_name": "Quartermaine",
    "email": "wilhelmina.quartermaine@example.com",
    "phone": "+19195550123",
}
FRIEND = {
    "first_name": "Ignatius",
    "last_name": "Fairweather",
    "email": "ignatius.fairweather@example.net",
    "phone": "+19195550188",
}
SCORE = re.compile(r"(score|nps|rating)\W{0,3}10\b", re.IGNORECASE)
LINK = re.compile(r"https?://\S+/(login|share)/[A-Za-z0-9._-]+")
LOGGERS = ("portal", "werkzeug", "huey", "")


def forbidden_words():
    """Every spelling of the two people's details a leak could take."""
    words = set()
    for person in (MEMBER, FRIEND):
        words |= {person["first_name"], person["last_name"], person["email"]}
        words.add(person["email"].split("@")[0])
        words.add(person["phone"])
        words.add(person["phone"][2:])  # the national number alone
    return {w.lower() for w in words}


def leaks(text):
    """Name what in the text gives a person or the score away."""
    text = unquote_plus(text).lower()
    found = [word for word in forbidden_words() if word in text]
    if SCORE.search(text):
        found.append("score")
    return found


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        line = record.getMessage()
        if record.exc_info:
            line += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {line}")


@pytest.fixture
def recorder():
    """Capture every record of the portal, werkzeug, huey and root loggers."""
    handler = Recorder()
    saved = {}
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if name else logging.INFO)
    yield handler
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.removeHandler(handler)
        logger.setLevel(saved[name])


@pytest.fixture
def practice(live_server):
    with live_server.app.app_context():
        database.connect(reuse_if_open=True)
        PracticeSettings.create(
            id=1,
            name="Maple Grove Direct Care",
            postal_address="120 Harbor Street, Raleigh, NC 27601",
            timezone="UTC",
        )
        PromptRule.create(service_line=None, quiet_start="00:00", quiet_end="00:00")
        ServiceLine.create(name="Primary care", slug="primary-care")
        Location.create(name="Downtown", slug="downtown")
        Member.create(external_id="EHR-77", **MEMBER)
        key, _ = keys.create("ehr", "ingest")
        desk = StaffUser.create(email="desk@maple.example", role="staff")
        database.close()
    return key, desk


def newest_link(app, kind):
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    newest = sorted(folder.glob("*.eml"))[-1]
    message = email.message_from_bytes(newest.read_bytes(), policy=policy.default)
    text = message.get_body(("plain",)).get_content()
    return next(m.group(0) for m in LINK.finditer(text) if m.group(1) == kind)


def watched(browser, urls, **options):
    context = browser.new_context(viewport={"width": 390, "height": 844}, **options)
    context.on("request", lambda request: urls.append(request.url))
    context.on(
        "response",
        lambda response: urls.append(response.headers.get("location", "")),
    )
    return context.new_page()


def post_visit(page, server, key):
    visited = utcnow().replace(microsecond=0).isoformat() + "+00:00"
    body = {
        "visits": [
            {
                "external_id": "V-77",
                "member_external_id": "EHR-77",
                "service_line": "primary-care",
                "location": "downtown",
                "visited_at": visited,
                "signal": {"scale": "nps", "score": 10},
            }
        ]
    }
    answer = page.request.post(
        f"{server.url}/api/v1/visits",
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    assert answer.status == 200, answer.text()
    assert answer.json()["prompts"]["scheduled"] == 1


def send_due_prompt(app):
    """Run the prompt sweep when the prompt is due, as the worker does."""
    with app.app_context():
        database.connect(reuse_if_open=True)
        prompt = Prompt.get()
        assert delivery.run_due(prompt.scheduled_for).sent == 1
        database.close()


def outbox_size(app):
    return len(list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")))


def sign_in_by_email(page, server, address):
    before = outbox_size(server.app)
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Email me a sign-in link").click()
    for _ in range(100):
        if outbox_size(server.app) > before:
            break
        page.wait_for_timeout(50)
    page.goto(newest_link(server.app, "login"))
    page.wait_for_load_state()


def test_no_log_line_or_address_carries_a_patients_details(
    browser, live_server, practice, recorder
):
    key, _ = practice
    app = live_server.app
    urls = []
    member = watched(browser, urls, user_agent=PHONE_UA)

    post_visit(member, live_server, key)
    send_due_prompt(app)
    member.goto(newest_link(app, "share"))
    member.get_by_role("link", name="Text a friend").wait_for()
    with member.expect_request(re.compile(r"/share/[^/]+/sms$")):
        member.get_by_role("link", name="Text a friend").click()
    # The tap hands an sms: address to the phone; carry on in a fresh tab.
    context = member.context
    member.close()
    member = context.new_page()

    sign_in_by_email(member, live_server, MEMBER["email"])
    assert member.url.endswith("/me/")
    address = member.get_by_role("textbox", name="Your referral link").input_value()
    save_screenshot(member, "privacy-loop-member-390")

    friend = watched(browser, urls, user_agent=PHONE_UA)
    friend.goto(address + "?c=sms")
    assert "/join?ref=" in friend.url
    friend.get_by_label("First name").fill(FRIEND["first_name"])
    friend.get_by_label("Last name").fill(FRIEND["last_name"])
    friend.get_by_label("Email", exact=True).fill(FRIEND["email"])
    friend.get_by_label("Mobile phone").fill(FRIEND["phone"])
    friend.get_by_label("What would you like help with?").select_option(
        label="Primary care"
    )
    friend.get_by_label("You may email me about my request.").check()
    friend.get_by_label(re.compile("You may text me")).check()
    friend.get_by_role("button", name="Ask for an appointment").click()
    friend.get_by_role("heading", name="Thank you, Ignatius!").wait_for()

    staff = watched(browser, urls)
    sign_in_by_email(staff, live_server, "desk@maple.example")
    staff.goto(live_server.url + "/staff/signups")
    row = staff.locator("tr", has_text="Ignatius Fairweather")
    row.get_by_label(re.compile("Status of sign-up")).select_option("contacted")
    staff.locator("tr", has_text="Ignatius Fairweather").get_by_text("Saved").wait_for()

    with app.app_context():
        database.connect(reuse_if_open=True)
        signup = SignUp.get(SignUp.email == FRIEND["email"])
        assert signup.ambassador.email == MEMBER["email"]
        assert (signup.channel, signup.status) == ("sms", "contacted")
        assert Prompt.get().shared_at is not None
        database.close()

    seen = [url for url in urls if url]
    assert any("/share/" in url for url in seen) and any("/r/" in url for url in seen)
    assert any("/join/thanks" in url for url in seen)
    assert {url: leaks(url) for url in seen if leaks(url)} == {}
    assert len(recorder.lines) > 20
    assert any(line.startswith("werkzeug: ") for line in recorder.lines)
    assert {line: leaks(line) for line in recorder.lines if leaks(line)} == {}
