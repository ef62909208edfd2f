"""Staff see sign-ups with their source, filter them and move them along."""

from datetime import datetime

import pytest

from portal import events
from portal.models import AuditEvent, Member, ServiceLine, SignUp, StaffUser
from portal.referrals import links
from tests.conftest import sign_in


@pytest.fixture
def desk(app, client):
    staff = StaffUser.create(email="desk@practice.example", role="staff")
    sign_in(client, f"s:{staff.id}:1")
    return staff


@pytest.fixture
def signups(app):
    peds = ServiceLine.create(name="Pediatrics", slug="pediatrics")
    ana = Member.create(email="ana@example.com", first_name="Ana", last_name="Alvarez")
    link = links.primary_link(ana)
    rows = [
        dict(
            first_name="Ben", channel="qr", link=link, ambassador=ana, service_line=peds
        ),
        dict(first_name="Cleo", channel="typed", link=link, ambassador=ana),
        dict(first_name="Dev", channel=None, status="contacted", self_referral=True),
    ]
    made = []
    for day, row in enumerate(rows, start=1):
        made.append(
            SignUp.create(
                email=f"{row['first_name'].lower()}@example.net",
                created_at=datetime(2026, 3, day, 12),
                **row,
            )
        )
    return made


def late_sign_up():
    """02:30 UTC on 4 March: still 3 March on the practice's clock (New York)."""
    late = datetime(2026, 3, 4, 2, 30)
    return SignUp.create(email="eve@example.net", first_name="Eve", created_at=late)


def test_the_list_shows_each_sign_up_with_its_ambassador_and_channel(
    client, desk, signups
):
    page = client.get("/staff/signups").get_data(as_text=True)
    assert "3 sign-ups" in page
    row = page.split('id="signup-1"')[1].split("</tr>")[0]
    assert "Ben" in row and "Ana Alvarez" in row and ">qr<" in row
    assert "Pediatrics" in row
    assert "Self-referral" in page.split('id="signup-3"')[1].split("</tr>")[0]


@pytest.mark.parametrize(
    "query, names",
    [
        ("status=contacted", ["Dev"]),
        ("service_line=pediatrics", ["Ben"]),
        ("channel=typed", ["Cleo"]),
        ("channel=none", ["Eve", "Dev"]),
        ("since=2026-03-02&until=2026-03-02", ["Cleo"]),
        ("since=2026-03-03&until=2026-03-03", ["Eve", "Dev"]),
        ("status=bogus", ["Eve", "Dev", "Cleo", "Ben"]),
    ],
)
def test_filters(client, desk, signups, query, names):
    # 02:30 UTC on 4 March is still 3 March on the practice's clock (New York).
    SignUp.create(
        email="eve@example.net",
        first_name="Eve",
        created_at=datetime(2026, 3, 4, 2, 30),
    )
    page = client.get(f"/staff/signups?{query}").get_data(as_text=True)
    people = ("Eve", "Dev", "Cleo", "Ben")
    shown = [n for n in people if f"<strong>{n} </strong>" in page]
    assert shown == names


def test_the_list_shows_each_day_on_the_practices_clock(client, desk, signups):
    SignUp.create(
        email="eve@example.net",
        first_name="Eve",
        created_at=datetime(2026, 3, 4, 2, 30),
    )
    page = client.get("/staff/signups").get_data(as_text=True)
    row = page.split('id="signup-4"')[1].split("</tr>")[0]
    assert "<td>Mar 3, 2026</td>" in row


def test_filter_by_ambassador_with_htmx_answers_with_the_results_only(
    client, desk, signups
):
    ana = signups[0].ambassador_id
    response = client.get(
        f"/staff/signups?ambassador={ana}",
        headers={"HX-Request": "true", "HX-Target": "signup-results"},
    )
    html = response.get_data(as_text=True)
    assert "<html" not in html and "2 sign-ups" in html
    assert "Ben" in html and "Cleo" in html and "Dev" not in html


def test_moving_a_status_answers_with_the_row_and_records_it(client, desk, signups):
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender.id, kwargs["old_status"], kwargs["new_status"]))

    events.signup_status_changed.connect(receiver)
    try:
        response = client.post(
            f"/staff/signups/{signups[0].id}/status",
            data={"status": "became_patient"},
            headers={"HX-Request": "true"},
        )
    finally:
        events.signup_status_changed.disconnect(receiver)

    html = response.get_data(as_text=True)
    assert html.startswith(f'<tr id="signup-{signups[0].id}">')
    assert '<option value="became_patient" selected>' in html and "Saved" in html
    stored = SignUp.get_by_id(signups[0].id)
    assert stored.status == "became_patient" and stored.became_patient_at is not None
    assert seen == [(stored.id, "new", "became_patient")]
    event = AuditEvent.get(AuditEvent.action == "signup.status_changed")
    assert event.actor == f"staff:{desk.id}" and event.subject == f"signup:{stored.id}"
    assert event.detail == {"old_status": "new", "new_status": "became_patient"}


def test_without_htmx_the_status_form_redirects_back(client, desk, signups):
    response = client.post(
        f"/staff/signups/{signups[1].id}/status",
        data={"status": "scheduled", "back": "/staff/signups?status=new"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/signups?status=new"
    assert SignUp.get_by_id(signups[1].id).status == "scheduled"
    bad = client.post(f"/staff/signups/{signups[1].id}/status", data={"status": "x"})
    assert bad.status_code == 400
    assert (
        client.post("/staff/signups/999/status", data={"status": "seen"}).status_code
        == 404
    )


def test_only_staff_with_the_signups_permission_get_in(client, app, signups):
    assert client.get("/staff/signups").status_code in (302, 401)
    sign_in(client, f"m:{signups[0].ambassador_id}")
    assert client.get("/staff/signups").status_code == 403
    officer = StaffUser.create(email="co@practice.example", role="compliance")
    sign_in(client, f"s:{officer.id}:1")
    assert client.get("/staff/signups").status_code == 403
    response = client.post(
        f"/staff/signups/{signups[0].id}/status", data={"status": "closed"}
    )
    assert response.status_code == 403
    assert SignUp.get_by_id(signups[0].id).status == "new"


def test_staff_find_a_link_by_its_code_and_revoke_it(client, desk, signups):
    link = signups[0].link
    typed = f"{link.code[:5].lower()} {link.code[5:]}"
    page = client.get("/staff/links", query_string={"code": typed})
    html = page.get_data(as_text=True)
    assert "Ana Alvarez" in html and f"http://portal.test/r/{link.code}" in html
    assert "Active" in html and f"/r/{link.code}/card" in html

    response = client.post(f"/staff/links/{link.id}/revoke")
    assert response.status_code == 303
    assert links.find_active(link.code) is None
    event = AuditEvent.get(AuditEvent.action == "link.revoked")
    assert event.actor == f"staff:{desk.id}"
    revoked = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Revoked" in revoked and "Revoke this link" not in revoked
    assert "No link has that code." in client.get(
        "/staff/links?code=2345623456"
    ).get_data(as_text=True)
