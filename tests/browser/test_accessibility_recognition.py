"""Recognition and compliance pages pass axe-core and fit a 360-pixel screen."""

from portal.db import database
from portal.models import StaffUser
from portal.recognition import workflow
from tests import recognition_support as support
from tests.browser.conftest import axe_violations, layout_problems
from tests.browser.test_recognition import sign_in_by_email

ADMIN = "admin@maple.example"
MEMBER = "ines@example.com"


def seed(app):
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            StaffUser.create(email=ADMIN, name="Avery Admin", role="admin")
            support.signed_policy()
            support.catalog()
            ines = support.member(email=MEMBER, first_name="Ines")
            note = workflow.propose(ines, "referred_signup", support.signup(ines))
            workflow.propose(ines, "first_visit", support.signup(ines))
            workflow.approve(note.id, support.staff())
            return ines.id
        finally:
            database.close()


def check(page, url):
    page.goto(url)
    assert page.locator("h1").first.is_visible()
    return axe_violations(page) + layout_problems(page)


def test_staff_and_compliance_pages_are_accessible(axe_page, live_server):
    member_id = seed(live_server.app)
    sign_in_by_email(axe_page, live_server, ADMIN)
    base = live_server.url
    pages = [
        "/staff/recognition/",
        "/staff/recognition/?status=approved",
        f"/staff/recognition/members/{member_id}",
        "/compliance/",
        "/compliance/policy/new",
        "/compliance/policy/versions",
        "/compliance/catalog",
        "/compliance/audit",
        "/compliance/audit/verify",
        "/compliance/document",
    ]
    found = {path: check(axe_page, base + path) for path in pages}
    assert found == {path: [] for path in pages}


def test_the_members_thank_yous_page_is_accessible(axe_page, live_server):
    seed(live_server.app)
    sign_in_by_email(axe_page, live_server, MEMBER)
    assert check(axe_page, live_server.url + "/me/recognitions") == []
    assert check(axe_page, live_server.url + "/me/") == []
