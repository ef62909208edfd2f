"""Journey 6 without a browser: a real sign-up and status change reach analytics."""

import json

from portal.api import keys
from portal.attribution import webhooks
from portal.models import AttributionEvent, Member, SignUp, WebhookDestination
from portal.referrals.links import primary_link
from tests.attribution_helpers import SECRET, Receiver, staff, valid_signature
from tests.conftest import sign_in


def test_an_api_sign_up_and_a_status_change_are_pulled_and_pushed(client):
    member = Member.create(email="ana@example.com", first_name="Ana")
    code = primary_link(member).code
    ingest, _ = keys.create("site", "ingest")
    export, _ = keys.create("analytics", "export")
    receiver = Receiver()
    WebhookDestination.create(url=receiver.url, secret=SECRET)
    try:
        created = client.post(
            "/api/v1/signups",
            json={
                "first_name": "Bea",
                "email": "bea@example.net",
                "code": code,
                "how_heard": "patient_referral",
                "email_consent": True,
                "utm_source": "newsletter",
            },
            headers={"Authorization": f"Bearer {ingest}"},
        )
        assert created.status_code == 201, created.json
        signup = SignUp.get_by_id(created.json["id"])
        manager = staff("manager")
        sign_in(client, f"s:{manager.id}:{manager.session_version}")
        moved = client.post(
            f"/staff/signups/{signup.id}/status", data={"status": "scheduled"}
        )
        assert moved.status_code == 303

        pulled = client.get(
            "/api/v1/attribution/events",
            headers={"Authorization": f"Bearer {export}"},
        ).json["events"]
        webhooks.sweep()
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()

    assert [e["type"] for e in pulled] == ["signup.created", "signup.status_changed"]
    first = pulled[0]["data"]
    assert first["ambassador_member_id"] == member.id
    assert first["signup_id"] == signup.id and first["utm"]["source"] == "newsletter"
    assert pulled[1]["data"]["new_status"] == "scheduled"
    assert "bea@example.net" not in json.dumps(pulled) and "Bea" not in json.dumps(
        pulled
    )
    pushed = [json.loads(body) for _, body, _ in receiver.requests]
    assert [p["id"] for p in pushed] == [e["id"] for e in pulled]
    assert all(valid_signature(h, b) for h, b, _ in receiver.requests)
    assert AttributionEvent.select().count() == 2
