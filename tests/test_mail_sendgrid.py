"""The real sendgrid client against a fake SendGrid on 127.0.0.1."""

import datetime
import threading

import pytest

from portal.db import database, utcnow
from portal.mail import compose, delivery, send_email
from portal.models import OutboxMessage, StaffUser
from portal.practice import get_settings
from tests.conftest import sign_in
from tests.fake_sendgrid import FakeSendGrid

LATER = datetime.timedelta(hours=2)


@pytest.fixture
def fake():
    server = FakeSendGrid(hang_seconds=1.5).start()
    yield server
    server.stop()


@pytest.fixture
def sendgrid_app(app, fake):
    app.config.update(
        MAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY="SG.test-key",
        SENDGRID_HOST=fake.url,
        SENDGRID_TIMEOUT=0.5,
        MAIL_MAX_ATTEMPTS=4,
    )
    settings = get_settings()
    settings.name = "Maple Grove Health"
    settings.postal_address = "12 Elm Street, Raleigh, NC 27601"
    settings.reply_to = "desk@maple.example"
    settings.save()
    return app


def invitation(to="ana@example.com", marketing=True):
    return send_email(
        to,
        "sign_in",
        {"link": "http://portal.test/login/abc", "minutes": 15},
        kind="invitation",
        marketing=marketing,
    )


def row(message):
    return OutboxMessage.get_by_id(message.id)


def sweep_later(times=1):
    """Run the sweep as if the backoff had passed, once per attempt."""
    now = utcnow()
    for step in range(1, times + 1):
        delivery.sweep(now=now + LATER * step)


def test_the_json_body_carries_everything_a_message_needs(sendgrid_app, fake):
    message = invitation()

    stored = row(message)
    assert stored.status == "sent" and stored.attempts == 1
    assert stored.provider_id == "fake-1"
    [received] = fake.received
    assert received.path == "/v3/mail/send"
    assert received.headers["Authorization"] == "Bearer SG.test-key"
    body = received.body
    assert body["from"] == {
        "email": "referrals@practice.example",
        "name": "Maple Grove Health",
    }
    assert body["reply_to"] == {"email": "desk@maple.example"}
    assert body["personalizations"] == [{"to": [{"email": "ana@example.com"}]}]
    assert body["subject"] == "Your sign-in link for Maple Grove Health"
    text, html = body["content"]
    assert text["type"] == "text/plain" and html["type"] == "text/html"
    assert text["value"] == stored.text_body and html["value"] == stored.html_body
    for part in (text["value"], html["value"]):
        assert "12 Elm Street, Raleigh" in part
        assert "http://portal.test/unsubscribe/" in part
    headers = body["headers"]
    assert headers["List-Unsubscribe"].startswith("<http://portal.test/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert body["custom_args"]["outbox_id"] == str(message.id)
    assert headers["X-Idempotency-Key"] == body["custom_args"]["idempotency_key"]
    assert body["tracking_settings"]["open_tracking"] == {"enable": False}
    assert body["tracking_settings"]["click_tracking"]["enable"] is False


@pytest.mark.parametrize("trouble", ["429", "500", "hang", "drop"])
def test_a_passing_failure_is_retried_and_delivered_once(sendgrid_app, fake, trouble):
    fake.then(trouble)

    message = invitation()

    waiting = row(message)
    assert waiting.status == "pending" and waiting.attempts == 1
    assert waiting.next_attempt_at > utcnow() + datetime.timedelta(seconds=20)
    assert waiting.last_error
    delivery.sweep()  # not due yet: nothing happens
    assert len(fake.received) == 1

    sweep_later()

    sent = row(message)
    assert sent.status == "sent" and sent.attempts == 2 and sent.last_error
    assert [r.behaviour for r in fake.received] == [trouble, "202"]
    keys = {r.body["custom_args"]["idempotency_key"] for r in fake.received}
    assert len(keys) == 1  # a retry names the row the same way
    assert [b["custom_args"]["outbox_id"] for b in fake.accepted()] == [str(message.id)]


def test_timeouts_and_dropped_connections_are_named_in_the_error(sendgrid_app, fake):
    fake.then("hang")
    slow = invitation()
    fake.then("drop")
    dropped = invitation(to="ben@example.com")

    assert "timed out" in row(slow).last_error
    assert "connection failed" in row(dropped).last_error


def test_after_max_attempts_the_row_is_failed_and_shown_to_staff(
    sendgrid_app, fake, client
):
    fake.default = "500"

    message = invitation()
    sweep_later(times=5)

    failed = row(message)
    assert failed.status == "failed" and failed.attempts == 4
    assert failed.last_error == "SendGrid answered 500"
    assert len(fake.received) == 4

    staff = StaffUser.create(email="desk@maple.example", role="staff")
    sign_in(client, f"s:{staff.id}:1")
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert f'id="outbox-{message.id}"' in page and "SendGrid answered 500" in page
    fake.default = "202"
    client.post(f"/staff/outbox/{message.id}/retry")
    assert row(message).status == "sent"
    assert [b["custom_args"]["outbox_id"] for b in fake.accepted()] == [str(message.id)]


def test_a_client_error_is_not_retried(sendgrid_app, fake):
    fake.then("400")

    message = invitation()
    sweep_later()

    assert row(message).status == "failed"
    assert row(message).last_error == "SendGrid answered 400"
    assert len(fake.received) == 1


def test_concurrent_sweeps_send_each_row_exactly_once(sendgrid_app, fake, monkeypatch):
    monkeypatch.setattr(compose, "enqueue", lambda message_id: None)  # no worker
    messages = [invitation(to=f"friend{n}@example.com") for n in range(12)]
    database.close()
    errors = []

    def sweep():
        try:
            with sendgrid_app.app_context():
                database.connect(reuse_if_open=True)
                delivery.sweep()
                database.close()
        except Exception as exc:  # surfaced below; a thread cannot fail the test
            errors.append(exc)

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    database.connect(reuse_if_open=True)
    assert errors == []
    delivered = sorted(int(b["custom_args"]["outbox_id"]) for b in fake.accepted())
    assert delivered == sorted(m.id for m in messages)
    assert len(fake.received) == len(messages)
    assert {row(m).status for m in messages} == {"sent"}
    assert {row(m).attempts for m in messages} == {1}


def test_suppressed_marketing_mail_never_reaches_sendgrid(sendgrid_app, fake):
    from portal.mail import unsubscribe

    unsubscribe.suppress("ana@example.com")
    prompt = invitation()
    link = invitation(marketing=False)

    assert row(prompt).status == "suppressed"
    assert row(link).status == "sent"
    assert [b["custom_args"]["outbox_id"] for b in fake.accepted()] == [str(link.id)]
