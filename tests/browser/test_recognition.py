"""Staff approve one recognition and deny another; the member sees the result."""

from portal.db import database
from portal.models import StaffUser
from portal.recognition import workflow
from tests import recognition_support as support
from tests.browser.conftest import save_screenshot
from tests.mail_helpers import eml_files, parts, read_eml, sign_in_link

MEMBER_EMAIL = "rosa.reyes@example.com"
STAFF_EMAIL = "desk@maple.example"


def seed(app):
    """A signed policy, the catalog, two proposals for one member, one approver."""
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            support.signed_policy()
            support.catalog()
            StaffUser.create(email=STAFF_EMAIL, name="Sam Desk", role="staff")
            rosa = support.member(
                email=MEMBER_EMAIL, first_name="Rosa", last_name="Reyes"
            )
            note = workflow.propose(rosa, "referred_signup", support.signup(rosa))
            bottle = workflow.propose(rosa, "first_visit", support.signup(rosa))
            return rosa.id, note.id, bottle.id
        finally:
            database.close()


def sign_in_by_email(page, server, email):
    """Ask for a link on /login and follow the one in the newest .eml file."""
    before = len(eml_files(server.app))
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    files = eml_files(server.app)
    assert len(files) == before + 1
    page.goto(sign_in_link(read_eml(files[-1])))
    page.get_by_text("You are signed in.").wait_for()


def test_staff_approve_and_deny_then_the_member_sees_the_thanks(
    browser, page, live_server
):
    member_id, note_id, bottle_id = seed(live_server.app)
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))

    sign_in_by_email(page, live_server, STAFF_EMAIL)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Approvals").click()
    page.get_by_role("heading", name="Recognition approvals").wait_for()

    bottle = page.locator(f"#recognition-{bottle_id}")
    assert "Per-item cap" in bottle.inner_text()
    bottle.get_by_role("button", name="Approve").click()
    page.locator(f"#recognition-{bottle_id}").get_by_text(
        "Approved. The member gets a thank-you email."
    ).wait_for()

    note = page.locator(f"#recognition-{note_id}")
    note.get_by_label("Reason for denying").fill("Thanked in person already")
    note.get_by_role("button", name="Deny").click()
    denied = page.locator(f"#recognition-{note_id}")
    denied.get_by_text("Denied. The reason is on record.").wait_for()
    assert "staff_review: Thanked in person already" in denied.inner_text()
    tabs = page.locator("#recognition-tabs")
    assert tabs.inner_text().split() == [
        "Proposed",
        "0",
        "Approved",
        "1",
        "Fulfilled",
        "0",
        "Denied",
        "1",
    ]
    save_screenshot(page, "recognition-queue-390")

    page.locator(f"#recognition-{bottle_id}").get_by_role(
        "link", name="Rosa Reyes"
    ).click()
    page.get_by_role("heading", name="Recognition ledger: Rosa Reyes").wait_for()
    assert page.locator("#ledger-ytd").inner_text() == "$12.00"
    assert "Approved" in page.locator(f"#ledger-{bottle_id}").inner_text()
    assert (
        "Thanked in person already" in page.locator(f"#ledger-{note_id}").inner_text()
    )
    save_screenshot(page, "recognition-ledger-390")
    assert problems == []

    thanks = read_eml(eml_files(live_server.app)[-1])
    assert thanks["To"] == MEMBER_EMAIL and thanks["Subject"].startswith("Thank you")
    assert "Water bottle" in parts(thanks)[0]

    member = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in_by_email(member, live_server, MEMBER_EMAIL)
    member.goto(live_server.url + "/me/")
    card = member.locator(
        "section", has=member.get_by_role("heading", name="Your thank-yous")
    )
    assert "Water bottle" in card.inner_text() and "On its way" in card.inner_text()
    card.get_by_role("link", name="See your thank-yous").click()
    member.get_by_role("heading", name="Your thank-yous", level=1).wait_for()
    listed = member.locator(".thanks-list").inner_text()
    assert "Water bottle" in listed and "Thank-you note" not in listed
    save_screenshot(member, "member-thanks-390")
    member.context.close()
