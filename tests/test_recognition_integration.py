"""Proposals arrive from the real sign-up form and the staff status change."""

import pytest

from portal.models import Location, Member, PracticeSettings, Recognition, ServiceLine
from portal.referrals import links
from tests import recognition_support as support
from tests.conftest import sign_in


@pytest.fixture
def code(app):
    PracticeSettings.create(id=1, name="Maple Grove", us_state="NC")
    ServiceLine.create(name="Pediatrics", slug="pediatrics")
    Location.create(name="Downtown", slug="downtown")
    support.signed_policy()
    support.catalog()
    ana = Member.create(email="ana@example.com", first_name="Ana", us_state="NC")
    return links.primary_link(ana).code


def join(client, code, email):
    return client.post(
        "/join",
        data={
            "first_name": "Ben",
            "email": email,
            "service_line": "pediatrics",
            "location": "downtown",
            "how_heard": "patient_referral",
            "email_consent": "1",
            "code": code,
            "code_source": "address",
        },
    )


def test_a_referred_sign_up_then_a_first_visit_propose_two_thank_yous(client, code):
    join(client, code, "ben@example.net")
    proposal = Recognition.get()
    assert proposal.trigger == "referred_signup"
    assert proposal.member.email == "ana@example.com"

    staff = support.staff("staff")
    sign_in(client, f"s:{staff.id}:{staff.session_version}")
    for status in ("scheduled", "seen", "became_patient"):
        client.post(
            f"/staff/signups/{proposal.signup_id}/status", data={"status": status}
        )
    triggers = sorted(r.trigger for r in Recognition.select())
    assert triggers == ["first_visit", "referred_signup"]


def test_the_ambassador_signing_up_themselves_proposes_nothing(client, code):
    join(client, code, "ana@example.com")
    assert Recognition.select().count() == 0
