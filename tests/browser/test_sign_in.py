"""Sign-in by emailed link in Chromium: staff reach their pages, members do not."""

from portal.cli import main
from portal.models import Member
from tests.browser.conftest import save_screenshot
from tests.mail_helpers import eml_files, read_eml, sign_in_link


def cli(app, *args):
    result = app.test_cli_runner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def ask_for_link(page, server, app, email):
    """Request a link on /login and return it, read from the newest .eml file."""
    before = len(eml_files(app))
    page.goto(server.url + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    files = eml_files(app)
    assert len(files) == before + 1
    message = read_eml(files[-1])
    assert message["To"] == email
    return sign_in_link(message)


def test_staff_signs_in_by_link_which_then_is_spent(browser, page, live_server):
    app = live_server.app
    assert "added as admin" in cli(
        app, "staff", "add", "desk@maple.example", "--role", "admin"
    )

    link = ask_for_link(page, live_server, app, "desk@maple.example")
    assert link.startswith(live_server.url + "/login/")
    page.goto(link)

    assert page.get_by_text("You are signed in.").is_visible()
    assert "/staff" in page.url
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_role("heading", name="Staff users").wait_for()
    assert page.get_by_text("desk@maple.example").first.is_visible()
    save_screenshot(page, "staff-users-390")

    second = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    second.goto(link)
    heading = second.get_by_role("heading", level=1)
    assert heading.inner_text() == "This sign-in link was already used"
    assert second.get_by_label("Email address").is_visible()
    second.goto(live_server.url + "/staff/users")
    assert second.url.startswith(live_server.url + "/login")
    second.context.close()

    nav.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You are signed out.").is_visible()
    page.goto(live_server.url + "/staff/users")
    assert page.url.startswith(live_server.url + "/login")


def member_pages(app, other_id):
    """Pages that would show another member's data, and a member's own pages."""
    others, own = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        if set(rule.arguments) == {"member_id"}:
            others.append(rule.rule.replace("<int:member_id>", str(other_id)))
        elif rule.rule.startswith("/me") and not rule.arguments:
            own.append(rule.rule)
    return others, own


def test_member_cannot_open_staff_pages_or_another_members_data(page, live_server):
    app = live_server.app
    cli(app, "members", "add", "ana@example.com", "--first-name", "Ana")
    cli(
        app,
        "members",
        "add",
        "bruno@example.com",
        "--first-name",
        "Bruno",
        "--last-name",
        "Quintanilla",
    )
    with app.app_context():
        bruno = Member.get(Member.email == "bruno@example.com")

    page.goto(ask_for_link(page, live_server, app, "ana@example.com"))
    assert page.get_by_text("You are signed in.").is_visible()

    for path in ("/staff/", "/staff/users", "/staff/outbox"):
        response = page.goto(live_server.url + path)
        assert response.status == 403, path
        assert page.get_by_role(
            "heading", name="You do not have access to this page"
        ).is_visible()

    others, own = member_pages(app, bruno.id)
    assert others or own
    for path in others:
        response = page.goto(live_server.url + path)
        assert response.status == 403, path
    for path in own:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        html = page.content()
        assert "bruno@example.com" not in html and "Quintanilla" not in html, path
    save_screenshot(page, "member-forbidden-390")
