"""Sign-in, sharing and sign-up completed with the keyboard alone."""

from urllib.parse import unquote

from portal.db import database
from portal.models import Location, Member, PracticeSettings, ServiceLine, SignUp
from tests.conftest import PHONE
from tests.mail_helpers import last_sign_in_link


def tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches selector; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_member_signs_in_and_shares_and_a_friend_signs_up_by_keyboard(
    browser, live_server
):
    app = live_server.app
    with app.app_context():
        database.connect(reuse_if_open=True)
        PracticeSettings.create(
            id=1, name="Maple Grove", postal_address="1 Main St, Raleigh, NC"
        )
        ServiceLine.create(name="Primary care", slug="primary-care")
        Location.create(name="Downtown", slug="downtown")
        ana = Member.create(email="ana@example.com", first_name="Ana")
        database.close()

    member = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    member.goto(live_server.url + "/login")
    tab_to(member, "input[name=email]")
    member.keyboard.type("ana@example.com")
    member.keyboard.press("Enter")
    member.get_by_role("heading", level=1).wait_for()
    member.goto(last_sign_in_link(app))  # the link is opened from the email
    assert member.url.rstrip("/").endswith("/me")

    tab_to(member, "button[data-copy-target=referral-address]")
    member.keyboard.press("Enter")
    assert member.locator("#referral-address-status").inner_text() == "Copied"
    address = member.locator("#referral-address").input_value()
    tab_to(member, "a[href^='sms:']")
    sms = unquote(member.evaluate("document.activeElement.href"))
    assert address in sms

    friend = browser.new_context(
        viewport={"width": 390, "height": 844}, user_agent=PHONE
    ).new_page()
    friend.goto(address)
    tab_to(friend, "input[name=first_name]")
    friend.keyboard.type("Rosa")
    tab_to(friend, "input[name=email]")
    friend.keyboard.type("rosa@example.net")
    tab_to(friend, "select[name=how_heard]")
    while friend.locator("select[name=how_heard]").input_value() != "patient_referral":
        friend.keyboard.press("ArrowDown")
    tab_to(friend, "input[name=email_consent]")
    friend.keyboard.press("Space")
    tab_to(friend, "form button[type=submit]")
    friend.keyboard.press("Enter")
    friend.get_by_role("heading", level=1).wait_for()

    with app.app_context():
        signup = SignUp.get(SignUp.email == "rosa@example.net")
        assert signup.ambassador_id == ana.id
        assert signup.how_heard == "patient_referral" and signup.email_consent
    for page in (member, friend):
        page.context.close()
