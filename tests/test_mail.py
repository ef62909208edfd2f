"""The outbox: rows first, the file backend, suppression, unsubscribe, the sweep."""

import datetime

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader

from portal.cli import main
from portal.db import database, utcnow
from portal.mail import compose, delivery, send_email, tasks, unsubscribe
from portal.models import AuditEvent, OutboxMessage, StaffUser, Suppression
from portal.practice import get_settings
from tests.conftest import sign_in
from tests.mail_helpers import eml_files, parts, read_eml

ADDRESS = "Maple Grove Health · 12 Elm Street, Raleigh, NC 27601"


@pytest.fixture(autouse=True)
def practice(app):
    settings = get_settings()
    settings.name = "Maple Grove Health"
    settings.postal_address = "12 Elm Street, Raleigh, NC 27601"
    settings.save()
    return settings


def sign_in_mail(to="Ana@Example.com", language="en"):
    return send_email(
        to,
        "sign_in",
        {"link": "http://portal.test/login/abc", "minutes": 15},
        kind="sign_in",
        marketing=False,
        language=language,
    )


def marketing_mail(to="ana@example.com"):
    return send_email(
        to,
        "sign_in",
        {"link": "http://portal.test/login/abc", "minutes": 15},
        kind="prompt",
    )


def test_send_email_stores_the_row_and_writes_one_eml_file(app):
    message = sign_in_mail()

    row = OutboxMessage.get_by_id(message.id)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at
    assert row.to_email == "ana@example.com"
    assert row.subject == "Your sign-in link for Maple Grove Health"
    files = eml_files(app)
    assert len(files) == 1 and row.provider_id == files[0].name
    parsed = read_eml(files[0])
    assert parsed["To"] == "ana@example.com"
    assert parsed["Subject"] == row.subject
    assert "referrals@practice.example" in parsed["From"]
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["List-Unsubscribe"] == row.headers["List-Unsubscribe"]
    text, html = parts(parsed)
    assert (
        "http://portal.test/login/abc" in text
        and "http://portal.test/login/abc" in html
    )
    for body in (text, html):
        assert "Maple Grove Health" in body and "12 Elm Street, Raleigh" in body
        assert "http://portal.test/unsubscribe/" in body


def test_a_second_delivery_of_the_same_row_writes_nothing(app):
    message = sign_in_mail()
    # As if the row were put back by mistake after it was written out.
    OutboxMessage.update(status="pending", next_attempt_at=utcnow()).where(
        OutboxMessage.id == message.id
    ).execute()

    assert delivery.deliver(message.id) == "sent"
    assert len(eml_files(app)) == 1


def test_language_is_kept_and_the_html_part_declares_it(app):
    message = sign_in_mail(language="es")
    row = OutboxMessage.get_by_id(message.id)
    assert row.language == "es"
    assert '<html lang="es">' in row.html_body
    assert sign_in_mail(language="fr").language == "en"


def test_delivery_waits_for_the_transaction_and_skips_a_rolled_back_one(app):
    with database.atomic():
        message = sign_in_mail()
        assert eml_files(app) == []
        assert OutboxMessage.get_by_id(message.id).status == "pending"
    assert OutboxMessage.get_by_id(message.id).status == "sent"

    with pytest.raises(RuntimeError), database.atomic():
        sign_in_mail(to="ben@example.com")
        raise RuntimeError("the change that caused the email failed")
    assert OutboxMessage.select().count() == 1
    assert len(eml_files(app)) == 1


def test_suppressed_address_gets_no_marketing_mail_but_still_sign_in_links(app):
    unsubscribe.suppress("ANA@example.com")

    prompt = marketing_mail()
    link = sign_in_mail()

    assert OutboxMessage.get_by_id(prompt.id).status == "suppressed"
    assert OutboxMessage.get_by_id(link.id).status == "sent"
    assert [read_eml(p)["X-Idempotency-Key"] for p in eml_files(app)] == [
        f"outbox-{link.id}-{link.created_at:%Y%m%d%H%M%S}"
    ]


def test_marketing_mail_queued_before_an_unsubscribe_is_not_sent(app, monkeypatch):
    monkeypatch.setattr(compose, "enqueue", lambda message_id: None)  # worker down
    prompt = marketing_mail()

    unsubscribe.suppress("ana@example.com")
    delivery.sweep()

    assert OutboxMessage.get_by_id(prompt.id).status == "suppressed"
    assert eml_files(app) == []


def test_unsubscribe_link_asks_then_records_a_suppression(app, client):
    message = marketing_mail()
    url = (
        message.headers["List-Unsubscribe"]
        .strip("<>")
        .replace("http://portal.test", "")
    )

    page = client.get(url)
    assert page.status_code == 200
    assert "Stop emails from us?" in page.get_data(as_text=True)
    assert Suppression.select().count() == 0

    done = client.post(url)
    assert "You are unsubscribed" in done.get_data(as_text=True)
    assert Suppression.get().email == "ana@example.com"
    event = AuditEvent.get(AuditEvent.action == "email.unsubscribed")
    assert event.subject == f"outbox:{message.id}" and event.actor == "anonymous"
    assert "ana@example.com" not in url and "ana" not in str(event.detail)
    assert OutboxMessage.get_by_id(marketing_mail().id).status == "suppressed"


def test_one_click_post_works_without_csrf_token_or_session(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    message = marketing_mail()
    url = (
        message.headers["List-Unsubscribe"]
        .strip("<>")
        .replace("http://portal.test", "")
    )

    response = client.post(
        url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert Suppression.get().email == "ana@example.com"
    # Every other form on the site still needs its token.
    assert client.post("/language", data={"language": "es"}).status_code == 400


def test_a_tampered_unsubscribe_token_is_refused(client):
    message = marketing_mail()
    token = unsubscribe.token_for_message(message.id)
    assert client.get(f"/unsubscribe/{token}x").status_code == 404
    assert client.post(f"/unsubscribe/{token[:-2]}").status_code == 404
    assert Suppression.select().count() == 0


def test_sweep_delivers_rows_a_dead_worker_left_behind(app, monkeypatch, runner):
    monkeypatch.setattr(compose, "enqueue", lambda message_id: None)
    first, second = sign_in_mail(), sign_in_mail(to="ben@example.com")
    later = OutboxMessage.get_by_id(second.id)
    later.next_attempt_at = utcnow() + datetime.timedelta(hours=1)
    later.save()

    result = runner.invoke(main, ["mail", "deliver"], catch_exceptions=False)

    assert result.exit_code == 0
    assert "1 sent" in result.output
    assert OutboxMessage.get_by_id(first.id).status == "sent"
    assert OutboxMessage.get_by_id(second.id).status == "pending"
    assert len(eml_files(app)) == 1


def test_an_interrupted_attempt_is_failed_for_a_person_not_sent_again(app, monkeypatch):
    monkeypatch.setattr(compose, "enqueue", lambda message_id: None)
    message = sign_in_mail()
    OutboxMessage.update(
        status="sending",
        attempts=1,
        next_attempt_at=utcnow() - datetime.timedelta(seconds=1),
    ).where(OutboxMessage.id == message.id).execute()

    counts = delivery.sweep()

    row = OutboxMessage.get_by_id(message.id)
    assert counts["lost"] == 1 and row.status == "failed"
    assert "interrupted" in row.last_error
    assert eml_files(app) == []


def test_the_worker_tasks_deliver_and_sweep(app, monkeypatch):
    monkeypatch.setattr(compose, "enqueue", lambda message_id: None)
    first, second = sign_in_mail(), sign_in_mail(to="ben@example.com")

    assert tasks.deliver_message.call_local(first.id) == "sent"
    assert tasks.deliver_message.call_local(first.id) is None  # already claimed
    assert tasks.sweep_outbox.call_local()["sent"] == 1
    assert OutboxMessage.get_by_id(second.id).status == "sent"
    assert len(eml_files(app)) == 2


def test_backoff_doubles_and_is_capped():
    assert [delivery.backoff(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert delivery.backoff(30) == 3600


def test_a_template_without_a_subject_is_refused(app, tmp_path):
    folder = tmp_path / "templates" / "email"
    folder.mkdir(parents=True)
    (folder / "nosubject.txt").write_text("{% extends 'email/_layout.txt' %}")
    (folder / "nosubject.html").write_text("{% extends 'email/_layout.html' %}")
    app.jinja_env.loader = ChoiceLoader(
        [app.jinja_env.loader, FileSystemLoader(str(tmp_path / "templates"))]
    )
    with pytest.raises(ValueError, match="block subject"):
        send_email("a@example.com", "nosubject", {}, kind="test")
    assert OutboxMessage.select().count() == 0


def make_staff(role="staff"):
    return StaffUser.create(email=f"{role}@maple.example", role=role)


def test_staff_see_failed_mail_and_send_it_again(app, client):
    message = sign_in_mail()
    OutboxMessage.update(
        status="failed", attempts=8, last_error="SendGrid answered 500"
    ).where(OutboxMessage.id == message.id).execute()
    for path in eml_files(app):
        path.unlink()
    staff = make_staff()
    sign_in(client, f"s:{staff.id}:1")

    page = client.get("/staff/outbox").get_data(as_text=True)
    assert "SendGrid answered 500" in page and "Send again" in page

    response = client.post(f"/staff/outbox/{message.id}/retry")

    assert response.status_code == 302
    row = OutboxMessage.get_by_id(message.id)
    assert row.status == "sent" and row.attempts == 1
    assert len(eml_files(app)) == 1
    event = AuditEvent.get(AuditEvent.action == "email.retried")
    assert (
        event.actor == f"staff:{staff.id}" and event.subject == f"outbox:{message.id}"
    )
    again = client.post(f"/staff/outbox/{message.id}/retry", follow_redirects=True)
    assert "not waiting for a retry" in again.get_data(as_text=True)


def test_a_failed_row_whose_body_was_cleared_is_not_sent_empty(app):
    message = sign_in_mail()
    OutboxMessage.update(status="failed", text_body="", html_body="").where(
        OutboxMessage.id == message.id
    ).execute()
    assert delivery.retry(message.id) is False
    assert OutboxMessage.get_by_id(message.id).status == "failed"


def test_outbox_page_is_for_staff_with_the_mail_permission(app, client):
    compliance = make_staff("compliance")
    sign_in(client, f"s:{compliance.id}:1")
    assert client.get("/staff/outbox").status_code == 403
    assert client.post("/staff/outbox/1/retry").status_code == 403
