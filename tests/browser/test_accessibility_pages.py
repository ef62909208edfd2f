"""Every page a patient or staff member can reach passes axe in both languages.

The demo practice is loaded, an admin and a member sign in by emailed link,
and every GET page in the URL map is opened at 360 pixels wide in English and
Spanish: no serious or critical axe violation, no sideways scrolling, and no
touch target under 44 pixels.
"""

import re

import pytest

from portal.cli import main
from portal.db import database
from portal.models import (
    Invitation,
    Member,
    PolicyVersion,
    Recognition,
    ReferralLink,
    ServiceLine,
    SignUp,
    StaffUser,
    Visit,
)
from tests.browser.conftest import axe_violations, layout_problems, save_screenshot
from tests.mail_helpers import last_sign_in_link

ADMIN = "admin@maplegrove.example"
MEMBER = "ana.alvarez.1@example.com"
# Files, feeds and actions rather than pages; each has tests of its own.
SKIP = re.compile(
    r"^/(api|static|r/|healthz|brand\.css|logo|login/|logout|unsubscribe)"
    r"|\.(csv|json|jsonl|svg|png|zip|md|html?)$|/(download|export|qr|poll|progress)"
)


@pytest.fixture
def demo(live_server):
    app = live_server.app
    result = app.test_cli_runner().invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with app.app_context():
        database.connect(reuse_if_open=True)
        member = Member.get(Member.email == MEMBER)
        values = {
            "member_id": member.id,
            "staff_id": StaffUser.get(StaffUser.email == ADMIN).id,
            "signup_id": SignUp.select().first().id,
            "visit_id": Visit.select().first().id,
            "code": ReferralLink.get(ReferralLink.member == member).code,
            "slug": ServiceLine.select().where(~ServiceLine.sensitive).first().slug,
            "recognition_id": getattr(Recognition.select().first(), "id", 1),
            "number": getattr(PolicyVersion.select().first(), "number", 1),
        }
        invitation = Invitation.select().first()
        if invitation:
            values["token"] = invitation.token
        database.close()
    return values


def pages(app, values, prefixes, exclude=()):
    """Fill every GET rule under the prefixes with demo values."""
    found = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith(prefixes):
            continue
        if rule.rule.startswith(exclude) or SKIP.search(rule.rule):
            continue
        if not set(rule.arguments) <= set(values):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), path)
        found.add(path)
    return sorted(found)


def sign_in(page, server, address):
    page.goto(server.url + "/login")
    page.fill("input[name=email]", address)
    page.locator("main form button[type=submit]").click()
    page.goto(last_sign_in_link(server.app))


def audit(page, server, paths, language):
    problems = {}
    for path in paths:
        response = page.request.get(server.url + path)
        if response.status >= 400 or "text/html" not in response.headers.get(
            "content-type", ""
        ):
            continue
        page.goto(server.url + path)
        found = axe_violations(page) + layout_problems(page)
        if page.locator("html").get_attribute("lang") != language:
            found.append("page language is not the chosen one")
        if found:
            problems[path] = found
    return problems


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_staff_page_is_accessible(axe_page, live_server, demo, language):
    axe_page.set_extra_http_headers({"Accept-Language": language})
    sign_in(axe_page, live_server, ADMIN)
    paths = pages(
        live_server.app,
        demo,
        ("/staff", "/reports", "/compliance", "/setup"),
    )
    assert len(paths) >= 15
    problems = audit(axe_page, live_server, paths, language)
    assert problems == {}, "\n".join(f"{p}: {f}" for p, f in problems.items())


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_patient_page_is_accessible(axe_page, live_server, demo, language):
    axe_page.set_extra_http_headers({"Accept-Language": language})
    public = pages(live_server.app, demo, ("/",), exclude=("/staff", "/me"))
    public = [p for p in public if not p.startswith(("/reports", "/compliance"))]
    public = [p for p in public if not p.startswith("/setup")]
    assert audit(axe_page, live_server, public, language) == {}
    with live_server.app.app_context():
        # The member chose this language; it outranks the browser's.
        Member.update(preferred_language=language).where(
            Member.email == MEMBER
        ).execute()
    sign_in(axe_page, live_server, MEMBER)
    mine = pages(live_server.app, demo, ("/me", "/invite"))
    assert "/me/" in mine
    assert audit(axe_page, live_server, mine, language) == {}
    axe_page.goto(live_server.url + "/me/")
    save_screenshot(axe_page, f"member-dashboard-{language}-360")
    axe_page.goto(live_server.url + "/join")
    save_screenshot(axe_page, f"referral-page-{language}-360")
