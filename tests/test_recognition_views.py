"""The approval queue with htmx, the staff ledger and the member's own pages."""

import pytest

from portal.models import AuditEvent, Member, OutboxMessage, Recognition
from portal.recognition import workflow
from tests import recognition_support as support
from tests.conftest import sign_in

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(app):
    support.signed_policy()
    items = support.catalog()
    ambassador = support.member(first_name="Rosa", last_name="Reyes")
    note = workflow.propose(ambassador, "referred_signup", support.signup(ambassador))
    bottle = workflow.propose(ambassador, "first_visit", support.signup(ambassador))
    return {"items": items, "ambassador": ambassador, "note": note, "bottle": bottle}


def as_staff(client, role="staff"):
    user = support.staff(role)
    sign_in(client, f"s:{user.id}:{user.session_version}")
    return user


def test_the_queue_shows_each_proposal_with_its_checks_and_year_to_date(client, world):
    as_staff(client)
    page = client.get("/staff/recognition/").get_data(as_text=True)
    assert "Recognition approvals" in page
    assert f'id="recognition-{world["note"].id}"' in page
    assert "Rosa Reyes" in page and "Water bottle" in page
    assert "This year so far: $0.00 of the $75.00 annual cap" in page
    assert page.count("check-pass") == 24  # twelve checks on each of two cards
    assert "Per-item cap</strong>: $12.00 is within the $15.00 per-item cap" in page


def test_members_and_compliance_cannot_open_the_queue(client, world):
    sign_in(client, f"m:{world['ambassador'].id}")
    assert client.get("/staff/recognition/").status_code == 403
    as_staff(client, "compliance")
    assert client.get("/staff/recognition/").status_code == 403


def test_htmx_approve_swaps_the_card_and_sends_the_thank_you(client, world):
    staff = as_staff(client)
    response = client.post(
        f"/staff/recognition/{world['note'].id}/approve", headers=HTMX
    )
    card = response.get_data(as_text=True)
    assert response.status_code == 200
    assert card.lstrip().startswith(
        f'<article class="card recognition" id="recognition-{world["note"].id}"'
    )
    assert "Approved. The member gets a thank-you email." in card
    assert "Mark as given" in card and "<html" not in card
    assert 'id="recognition-tabs" hx-swap-oob="true"' in card
    assert 'Approved <span class="badge">1</span>' in card
    assert Recognition.get_by_id(world["note"].id).status == "approved"
    assert OutboxMessage.get().to_email == world["ambassador"].email
    event = AuditEvent.get(AuditEvent.action == "recognition.approved")
    assert event.actor == f"staff:{staff.id}"


def test_htmx_deny_without_a_reason_shows_the_error_by_the_field(client, world):
    as_staff(client)
    url = f"/staff/recognition/{world['bottle'].id}/deny"
    card = client.post(url, data={"reason": " "}, headers=HTMX).get_data(as_text=True)
    assert 'aria-invalid="true"' in card and "Say why it is denied." in card
    assert Recognition.get_by_id(world["bottle"].id).status == "proposed"

    card = client.post(url, data={"reason": "Referred twice"}, headers=HTMX).get_data(
        as_text=True
    )
    assert "Denied. The reason is on record." in card
    assert "staff_review: Referred twice" in card
    assert Recognition.get_by_id(world["bottle"].id).status == "denied"


def test_without_htmx_actions_redirect_back_with_a_message(client, world):
    as_staff(client)
    response = client.post(
        f"/staff/recognition/{world['note'].id}/approve", data={"status": "proposed"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/recognition/?status=proposed")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Approved. The member gets a thank-you email." in page
    fulfil = client.post(
        f"/staff/recognition/{world['note'].id}/fulfil", data={"status": "approved"}
    )
    assert fulfil.status_code == 302
    assert Recognition.get_by_id(world["note"].id).status == "fulfilled"
    tab = client.get("/staff/recognition/?status=fulfilled").get_data(as_text=True)
    assert "Given on" in tab


def test_a_second_approval_by_the_same_person_is_refused_on_the_card(client, world):
    donation = workflow.propose(
        world["ambassador"], "membership_retained", support.signup(world["ambassador"])
    )
    as_staff(client)
    url = f"/staff/recognition/{donation.id}/approve"
    first = client.post(url, headers=HTMX).get_data(as_text=True)
    assert "A second staff user must also approve." in first
    assert "disabled" in first
    again = client.post(url, headers=HTMX).get_data(as_text=True)
    assert "You approved this already; a second person must." in again
    assert Recognition.get_by_id(donation.id).status == "proposed"


def test_a_missing_recognition_is_404(client, world):
    as_staff(client)
    assert (
        client.post("/staff/recognition/9999/approve", headers=HTMX).status_code == 404
    )


def test_the_staff_ledger_shows_totals_and_records_the_authorization(client, world):
    workflow.approve(world["bottle"].id, support.staff())
    as_staff(client)
    url = f"/staff/recognition/members/{world['ambassador'].id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="ledger-ytd">$12.00' in page and "not on file" in page
    assert page.count('id="ledger-') == 3  # the total and two rows

    refused = client.post(url + "/authorization", data={"action": "record"})
    assert refused.status_code == 302
    assert Member.get_by_id(world["ambassador"].id).recognition_authorized_at is None
    client.post(url + "/authorization", data={"action": "record", "confirm": "1"})
    assert Member.get_by_id(world["ambassador"].id).recognition_authorized_at
    assert "on file since" in client.get(url).get_data(as_text=True)
    actions = [e.action for e in AuditEvent.select()]
    assert "member.recognition_authorized" in actions


def test_the_member_sees_given_thank_yous_only(client, world):
    workflow.approve(world["note"].id, support.staff())
    workflow.deny(world["bottle"].id, support.staff(), "not this time")
    sign_in(client, f"m:{world['ambassador'].id}")
    page = client.get("/me/recognitions").get_data(as_text=True)
    assert "Thank-you note" in page and "On its way" in page
    assert "Water bottle" not in page and "not this time" not in page


def test_the_dashboard_card_lists_the_latest_thank_yous(client, world):
    workflow.approve(world["note"].id, support.staff())
    sign_in(client, f"m:{world['ambassador'].id}")
    page = client.get("/me/").get_data(as_text=True)
    assert "Your thank-yous" in page and "Thank-you note" in page


def test_the_member_page_speaks_spanish(client, world):
    workflow.approve(world["note"].id, support.staff())
    Member.update(preferred_language="es").where(
        Member.id == world["ambassador"].id
    ).execute()
    sign_in(client, f"m:{world['ambassador'].id}")
    page = client.get("/me/recognitions").get_data(as_text=True)
    assert "Sus agradecimientos" in page and "En camino" in page
