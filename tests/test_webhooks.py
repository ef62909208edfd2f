"""Webhooks: signed, in order per destination, once each, retried for a day."""

import json
import threading
from datetime import timedelta

import pytest

from portal.attribution import feed, webhooks
from portal.attribution.tasks import deliver_task, sweep_task
from portal.db import utcnow
from portal.models import AttributionEvent, WebhookDelivery, WebhookDestination
from portal.tasks import huey
from tests.attribution_helpers import (
    SECRET,
    Receiver,
    ambassador,
    move,
    signup,
    valid_signature,
)


@pytest.fixture
def receiver():
    made = []

    def make(**options):
        made.append(Receiver(**options))
        return made[-1]

    yield make
    for server in made:
        server.server.shutdown()
        server.server.server_close()


def destination(url, event_types="*"):
    return WebhookDestination.create(url=url, secret=SECRET, event_types=event_types)


def some_events(count=3):
    member = ambassador()
    for _ in range(count):
        move(signup(member), "contacted")
    return list(AttributionEvent.select().order_by(AttributionEvent.id))


def test_a_receiver_that_recovers_gets_every_event_once_in_order(app, receiver):
    server = receiver(fail_first=4)
    target = destination(server.url)
    stored = some_events(3)
    clock = utcnow()

    webhooks.sweep(now=clock)
    webhooks.sweep(now=clock)  # the head is backing off: nothing is sent
    assert len(server.requests) == 1
    for _ in range(20):
        clock += timedelta(minutes=30)
        webhooks.sweep(now=clock)

    accepted = server.accepted()
    assert [body["id"] for _, body in accepted] == [e.event_id for e in stored]
    assert [body["cursor"] for _, body in accepted] == [e.id for e in stored]
    assert all(body["id"] == stored[0].event_id for body in server.refused())
    assert len(server.refused()) == 4
    for headers, body, _ok in server.requests:
        assert valid_signature(headers, body)
        assert headers["Idempotency-Key"] == json.loads(body)["id"]
        assert headers["Content-Type"] == "application/json"
    first = json.loads(server.requests[0][1])
    assert first["type"] == "signup.created" and "email" not in first["data"]
    rows = list(WebhookDelivery.select().order_by(WebhookDelivery.event))
    assert [r.status for r in rows] == ["delivered"] * len(stored)
    assert rows[0].attempts == 5 and rows[1].attempts == 1
    target = WebhookDestination.get_by_id(target.id)
    assert target.last_error == "" and target.last_success_at is not None


def test_backoff_doubles_and_gives_up_only_after_a_day(app, receiver):
    assert [webhooks.backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert webhooks.backoff(30) == webhooks.MAX_DELAY
    server = receiver(fail_first=10_000)
    target = destination(server.url)
    stored = some_events(1)
    clock, attempts_at = utcnow(), []
    head = WebhookDelivery.get(WebhookDelivery.event == stored[0].id)
    while WebhookDelivery.get_by_id(head.id).status != "failed":
        attempts_at.append(clock)
        webhooks.deliver_destination(target.id, now=clock)
        clock = WebhookDelivery.get_by_id(head.id).next_attempt_at
        assert len(attempts_at) < 100
    assert attempts_at[-1] - attempts_at[0] >= timedelta(hours=24)
    assert attempts_at[-2] - attempts_at[0] < timedelta(hours=24)
    gaps = [b - a for a, b in zip(attempts_at, attempts_at[1:], strict=False)]
    assert gaps[:3] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    refused_ids = {body["id"] for body in server.refused()}
    # Given up on the head, the queue moves on to the event behind it.
    assert refused_ids == {stored[0].event_id, stored[1].event_id}
    given_up = WebhookDelivery.get_by_id(head.id)
    assert given_up.attempts == len(attempts_at) and given_up.last_error == "HTTP 503"
    last_error = WebhookDestination.get_by_id(target.id).last_error
    assert f"event {stored[1].id}: HTTP 503 (will retry)" in last_error


def test_a_slow_receiver_times_out_and_is_retried(app, receiver):
    app.config["WEBHOOK_TIMEOUT"] = 0.3
    server = receiver(delay=1.0)
    target = destination(server.url)
    stored = some_events(1)
    clock = utcnow()
    assert webhooks.deliver_destination(target.id, now=clock) == 0
    head = WebhookDelivery.get(WebhookDelivery.event == stored[0].id)
    assert (head.status, head.last_error) == ("pending", "no answer within 0.3 seconds")
    server.delay = 0
    assert (
        webhooks.deliver_destination(target.id, now=clock + timedelta(minutes=2)) == 2
    )
    keys = [headers["Idempotency-Key"] for headers, _, _ in server.requests]
    assert keys[0] == keys[1] == stored[0].event_id  # a repeat the receiver can drop


def test_two_workers_never_send_the_same_event_twice(app, receiver):
    server = receiver()
    target = destination(server.url)
    stored = some_events(5)
    workers = [threading.Thread(target=run_sweep, args=(app,)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    webhooks.sweep()
    ids = [body["id"] for _, body in server.accepted()]
    assert ids == [e.event_id for e in stored]
    assert (
        WebhookDelivery.select().where(WebhookDelivery.status != "delivered").count()
        == 0
    )
    assert WebhookDestination.get_by_id(target.id).last_success_at is not None


def run_sweep(app):
    from portal.db import database

    with app.app_context():
        webhooks.sweep()
    database.close()


def test_a_destination_gets_only_the_types_it_chose(app, receiver):
    server = receiver()
    target = destination(server.url, event_types="signup.status_changed")
    some_events(2)
    webhooks.sweep()
    assert [b["type"] for _, b in server.accepted()] == ["signup.status_changed"] * 2
    assert (
        WebhookDelivery.select().where(WebhookDelivery.destination == target).count()
        == 2
    )


def test_replay_sends_again_from_a_point_in_time_in_order(app, receiver):
    server = receiver()
    target = destination(server.url)
    member = ambassador()
    signup(member, when=utcnow() - timedelta(days=10))
    recent = [signup(member) for _ in range(2)]
    webhooks.sweep()
    assert len(server.accepted()) == 3
    late = feed.record("prompt.sent", {"prompt_id": 9})  # never queued before now
    WebhookDelivery.delete().where(WebhookDelivery.event == late.id).execute()

    queued = webhooks.replay(target, utcnow() - timedelta(days=1))
    webhooks.sweep()

    assert queued == 3
    again = [b["data"].get("signup_id") for _, b in server.accepted()[3:]]
    assert again == [recent[0].id, recent[1].id, None]
    assert server.accepted()[-1][1]["id"] == late.event_id


def test_a_new_event_schedules_a_delivery_and_the_sweep_is_a_task(app, receiver):
    server = receiver()
    target = destination(server.url)
    huey.storage.flush_schedule()
    some_events(1)
    scheduled = [t for t in huey.scheduled() if t.name.endswith("deliver_task")]
    assert [t.args for t in scheduled] == [(target.id,), (target.id,)]
    assert deliver_task.call_local(target.id) == 2
    assert sweep_task.call_local() == 0
    huey.storage.flush_schedule()


def test_a_claimed_head_is_not_claimed_again_until_its_lease_ends(app):
    target = destination("http://127.0.0.1:9/unused")
    some_events(1)
    clock = utcnow()
    assert webhooks._claim_head(target, clock) is not None
    assert webhooks._claim_head(target, clock) is None
    assert webhooks._claim_head(target, clock + webhooks.LEASE) is not None


def test_a_long_backlog_goes_out_in_batches_of_tasks(app, receiver, monkeypatch):
    monkeypatch.setattr(webhooks, "BATCH", 3)
    server = receiver()
    target = destination(server.url)
    stored = [feed.record("prompt.sent", {"prompt_id": n}) for n in range(8)]
    assert deliver_task.call_local(target.id) == 3  # then it queued itself again
    ids = [body["id"] for _, body in server.accepted()]
    assert ids == [e.event_id for e in stored]
