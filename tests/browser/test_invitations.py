"""A member invites a friend, the friend joins, and the referral counts later."""

from datetime import date, timedelta

from portal.cli import main
from portal.db import database
from portal.invitations.service import retention_sweep
from portal.models import Invitation, Member, Recognition, SignUp
from tests.mail_helpers import eml_files, last_sign_in_link, parts, read_eml

FRIEND = "rosa.friend@example.net"


def sign_in(page, server, address):
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(address)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("heading", level=1).wait_for()
    page.goto(last_sign_in_link(server.app))


def invitation_link(app):
    for path in reversed(eml_files(app)):
        message = read_eml(path)
        if message["To"] == FRIEND:
            text, html = parts(message)
            return message, text, html
    raise AssertionError("no invitation in the outbox")


def test_member_invites_a_friend_who_joins_and_counts_after_the_window(
    browser, live_server
):
    app = live_server.app
    result = app.test_cli_runner().invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with app.app_context():
        database.connect(reuse_if_open=True)
        inviter = (
            Member.select()
            .where(
                Member.membership_status == "active",
                Member.email.is_null(False),
                Member.preferred_language == "en",
            )
            .order_by(Member.id)
            .first()
        )
        database.close()

    member = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(member, live_server, inviter.email)
    member.goto(live_server.url + "/me/invitations")
    member.get_by_label("Their first name").fill("Rosa")
    member.get_by_label("Their email address").fill(FRIEND)
    member.get_by_label("How do you know them?").select_option("family")
    member.get_by_label("A personal note (optional)").fill("<b>Come</b> & see!")
    member.get_by_label("With my first name").check()
    member.get_by_role("button", name="Send invitation").click()
    member.get_by_text("Your invitation is on its way.").wait_for()

    message, text, html = invitation_link(app)
    assert "120 Harbor Street" in text and "nsubscribe" in text
    assert message["List-Unsubscribe"]
    assert "&lt;b&gt;Come&lt;/b&gt; &amp; see!" in html
    link = next(w for w in text.split() if "/invite/" in w)

    friend = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    friend.goto(link)
    friend.get_by_role("heading", name="Membership plans").wait_for()
    assert friend.locator("blockquote.note").inner_text() == "<b>Come</b> & see!"
    friend.get_by_label("First name").fill("Rosa")
    friend.get_by_label("Email address").fill(FRIEND)
    friend.get_by_label("Individual").check()
    friend.get_by_label("You may tell the member who invited me that I joined").check()
    friend.get_by_role("button", name="Ask to join").click()
    friend.get_by_role("heading", name="Thank you, Rosa").wait_for()

    desk = browser.new_context(viewport={"width": 1024, "height": 800}).new_page()
    sign_in(desk, live_server, "frontdesk@maplegrove.example")
    with app.app_context():
        signup = SignUp.get(SignUp.email == FRIEND)
        assert (signup.kind, signup.ambassador_id) == ("membership", inviter.id)
    desk.goto(live_server.url + "/staff/signups")
    desk.locator(f"#status-{signup.id}").select_option("became_patient")
    desk.locator(f"#signup-{signup.id}").get_by_text("Saved").wait_for()

    member.goto(live_server.url + "/me/invitations")
    assert member.get_by_text("Joined", exact=True).is_visible()
    with app.app_context():
        database.connect(reuse_if_open=True)
        # Time moves past the plan's 30-day cancellation window.
        assert retention_sweep(date.today() + timedelta(days=30)) >= 1
        proposed = Recognition.get(
            Recognition.member == inviter.id,
            Recognition.trigger == "membership_retained",
        )
        assert proposed.status == "proposed" and proposed.signup_id == signup.id
        assert Invitation.get(Invitation.email == FRIEND).status == "joined"
        database.close()

    member.goto(live_server.url + "/me/invitations")
    assert member.get_by_text("Joined and stayed").is_visible()
    assert member.get_by_text("Rosa").first.is_visible()
    desk.goto(live_server.url + "/staff/recognition/")
    assert desk.locator("main").get_by_text(inviter.display_name).first.is_visible()
    for page in (member, friend, desk):
        page.context.close()
