"""Attribution events: written by receivers, read by cursor, backfilled for the demo."""

import json
import threading
import time
import uuid

import pytest

from portal import demo, events
from portal.api import keys
from portal.attribution import feed
from portal.db import database, is_sqlite, utcnow, write_transaction
from portal.models import (
    AttributionEvent,
    CatalogItem,
    Invitation,
    PolicyVersion,
    Prompt,
    Recognition,
    SignUp,
    Visit,
)
from tests.attribution_helpers import PERSONAL, ambassador, move, signup

URL = "/api/v1/attribution/events"


def read(client, key, **params):
    return client.get(
        URL, query_string=params, headers={"Authorization": f"Bearer {key}"}
    )


def all_text(event):
    return json.dumps(event.payload)


def test_signup_and_status_change_become_events_without_personal_data(app):
    member = ambassador()
    row = signup(member, utm_campaign="spring")
    move(row, "scheduled")

    created, changed = AttributionEvent.select().order_by(AttributionEvent.id)
    assert (created.type, changed.type) == ("signup.created", "signup.status_changed")
    assert str(uuid.UUID(created.event_id)) == created.event_id
    assert created.signup_id == changed.signup_id == row.id
    data = created.payload
    assert data["source"] == data["how_heard"] == "patient_referral"
    assert data["ambassador_member_id"] == member.id
    assert (data["channel"], data["service_line"], data["location"]) == (
        "link",
        "primary-care",
        "downtown",
    )
    assert data["utm"]["source"] == "newsletter"
    assert data["utm"]["campaign"] == "spring"
    assert changed.payload["old_status"] == "new"
    assert changed.payload["new_status"] == "scheduled"
    for event in (created, changed):
        text = all_text(event)
        for personal in PERSONAL + ("Amb1", "amb1@example.com"):
            assert personal not in text


def test_an_event_rolls_back_with_the_change_that_caused_it(app):
    with pytest.raises(RuntimeError):
        with write_transaction():
            row = SignUp.create(first_name="Ben", how_heard="event")
            events.signup_created.send(row)
            raise RuntimeError("the sign-up fails after its event was written")
    assert SignUp.select().count() == 0
    assert AttributionEvent.select().count() == 0


def test_prompts_recognitions_and_invitations_become_events(app):
    member = ambassador()
    visit = Visit.create(external_id="V1", member=member, visited_at=utcnow())
    prompt = Prompt.create(
        visit=visit, member=member, status="sent", reason_code="promoter"
    )
    events.prompt_sent.send(prompt)
    item = CatalogItem.create(name="Note", kind="thank_you_note")
    policy = PolicyVersion.create(number=3, rules={}, status="active")
    row = signup(member)
    recognition = Recognition.create(
        member=member,
        item=item,
        value_cents=0,
        trigger="referred_signup",
        signup=row,
        status="approved",
        policy_version=policy,
        year=2026,
    )
    events.recognition_approved.send(recognition)
    invitation = Invitation.create(
        inviter=member, token="t1", first_name="Sis", email="sis@example.net"
    )
    joined = signup(None, kind="membership", invitation=invitation)
    events.invitation_accepted.send(invitation, signup=joined)

    by_type = {e.type: e.payload for e in AttributionEvent.select()}
    assert by_type["prompt.sent"]["prompt_id"] == prompt.id
    assert by_type["prompt.sent"]["ambassador_member_id"] == member.id
    assert by_type["recognition.approved"]["policy_version"] == 3
    assert by_type["recognition.approved"]["item_kind"] == "thank_you_note"
    accepted = by_type["invitation.accepted"]
    assert accepted["invitation_id"] == invitation.id
    assert accepted["ambassador_member_id"] == member.id
    assert accepted["signup_id"] == joined.id and accepted["kind"] == "membership"
    assert "sis@example.net" not in json.dumps(accepted)


def test_pull_pages_are_stable_and_complete(app, client):
    key, _ = keys.create("analytics", "export")
    rows = [feed.record("prompt.sent", {"prompt_id": n}) for n in range(1, 251)]
    seen, cursor, pages = [], 0, 0
    while True:
        response = read(client, key, after=cursor, limit=100)
        assert response.status_code == 200
        body = response.json
        again = read(client, key, after=cursor, limit=100).json
        assert again == body  # the same cursor reads the same events
        seen += body["events"]
        pages += 1
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    assert pages == 3
    assert [e["id"] for e in seen] == [r.event_id for r in rows]
    assert [e["data"]["prompt_id"] for e in seen] == list(range(1, 251))
    assert [e["cursor"] for e in seen] == sorted(e["cursor"] for e in seen)
    assert seen[0]["occurred_at"].endswith("Z")
    tail = read(client, key, after=cursor).json
    assert tail == {"events": [], "next_cursor": cursor, "has_more": False}


def test_pull_refuses_bad_cursors_limits_and_keys(app, client):
    export, _ = keys.create("analytics", "export")
    ingest, _ = keys.create("ehr", "ingest")
    for params, code in (
        ({"after": "abc"}, "invalid_after"),
        ({"after": "-1"}, "invalid_after"),
        ({"limit": "0"}, "invalid_limit"),
        ({"limit": "1001"}, "invalid_limit"),
        ({"limit": "ten"}, "invalid_limit"),
    ):
        response = read(client, export, **params)
        assert response.status_code == 400, params
        assert response.json["error"]["code"] == code
        assert response.json["error"]["request_id"]
    assert read(client, ingest).status_code == 403
    assert client.get(URL).json["error"]["code"] == "unauthorized"


def test_the_feed_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/api/v1/attribution/events"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"after", "limit"}
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ref["$ref"].endswith("/AttributionEventPage")
    assert "AttributionEventOut" in document["components"]["schemas"]


def test_demo_events_are_backfilled_once(app):
    demo.load(echo=lambda *_: None)
    signups = SignUp.select().count()
    moved = SignUp.select().where(SignUp.status != "new").count()
    created = AttributionEvent.select().where(AttributionEvent.type == "signup.created")
    changed = AttributionEvent.select().where(
        AttributionEvent.type == "signup.status_changed"
    )
    assert created.count() == signups and changed.count() == moved
    assert feed.backfill() == 0
    times = [
        e.occurred_at for e in AttributionEvent.select().order_by(AttributionEvent.id)
    ]
    assert times == sorted(times)
    sample = changed.first()
    assert sample.payload["old_status"] is None
    assert sample.payload["new_status"] == sample.signup.status
    first = SignUp.get_by_id(created.first().signup_id)
    text = json.dumps([e.payload for e in created])
    assert first.email not in text and first.first_name + '"' not in text


def test_a_reader_waits_for_an_earlier_event_still_in_flight(app):
    """On PostgreSQL a later id can commit first; the reader must not skip."""
    if is_sqlite():
        pytest.skip("SQLite has one writer at a time, so ids commit in order")
    inserted, release, done = threading.Event(), threading.Event(), {}

    def slow_writer():
        with database.atomic():
            done["early"] = feed.record("prompt.sent", {"prompt_id": 1}).id
            inserted.set()
            release.wait(10)
        database.close()

    def reader():
        done["page"] = feed.page(0, 100)
        database.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert inserted.wait(10)
    late = feed.record("prompt.sent", {"prompt_id": 2}).id
    assert late > done["early"]
    reading = threading.Thread(target=reader)
    reading.start()
    time.sleep(0.5)
    assert "page" not in done  # still waiting for the earlier transaction
    release.set()
    writer.join(10)
    reading.join(10)
    rows, cursor, _ = done["page"]
    assert [r.id for r in rows] == [done["early"], late]
    assert cursor == late
