"""The staff webhooks page: managers add, pause, replay and remove destinations."""

from datetime import timedelta

from portal.attribution import webhooks
from portal.db import utcnow
from portal.models import AuditEvent, WebhookDelivery, WebhookDestination
from tests.attribution_helpers import ambassador, signup, staff
from tests.conftest import sign_in

PAGE = "/staff/webhooks"
SECRET = "s" * 32


def as_staff(client, role="manager"):
    user = staff(role)
    sign_in(client, f"s:{user.id}:{user.session_version}")
    return user


def test_only_staff_with_settings_may_open_the_page(client):
    as_staff(client, "staff")
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={"url": "https://x.example"}).status_code == 403
    assert WebhookDestination.select().count() == 0


def test_a_manager_adds_a_destination_and_bad_fields_are_named(client):
    manager = as_staff(client)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'name="secret"' in page and "No webhook destinations yet" in page

    bad = client.post(PAGE, data={"url": "ftp://x", "secret": "short"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Enter the full address, starting with https://." in html
    assert "Use a secret of at least 24 characters with no spaces." in html
    assert "Choose at least one kind of event." in html
    assert 'aria-invalid="true"' in html
    assert WebhookDestination.select().count() == 0

    good = client.post(
        PAGE,
        data={
            "url": "https://analytics.example/hooks",
            "secret": SECRET,
            "event_types": ["signup.created", "signup.status_changed"],
        },
    )
    assert good.status_code == 302
    row = WebhookDestination.get()
    assert row.event_types == "signup.created,signup.status_changed"
    assert (row.secret, row.created_by_id) == (SECRET, manager.id)
    audit = AuditEvent.get(AuditEvent.action == "webhook.created")
    assert audit.subject == f"webhook:{row.id}" and audit.actor == f"staff:{manager.id}"
    assert audit.detail["host"] == "analytics.example"
    assert SECRET not in str(audit.detail)


def test_all_types_are_stored_as_a_star_and_production_wants_https(app, client):
    as_staff(client, "admin")
    types = [
        "signup.created",
        "signup.status_changed",
        "prompt.sent",
        "recognition.approved",
        "invitation.accepted",
    ]
    data = {"url": "http://127.0.0.1:8080/in", "secret": SECRET, "event_types": types}
    assert client.post(PAGE, data=data).status_code == 302
    assert WebhookDestination.get().event_types == "*"
    app.config["PORTAL_ENV"] = "production"
    try:
        data["url"] = "http://analytics.example/in"
        refused = client.post(PAGE, data=data)
    finally:
        app.config["PORTAL_ENV"] = "development"
    assert refused.status_code == 400
    assert "plain http is refused in production" in refused.get_data(as_text=True)


def test_the_page_shows_backlog_and_last_error_and_replays(client):
    as_staff(client)
    target = WebhookDestination.create(url="http://127.0.0.1:9/in", secret=SECRET)
    member = ambassador()
    for _ in range(3):
        signup(member)
    webhooks.sweep()  # nothing listens on port 9: the head fails

    html = client.get(PAGE).get_data(as_text=True)
    assert 'class="webhook-backlog">3<' in html
    assert "connection failed: ConnectionRefusedError (will retry)" in html

    WebhookDelivery.update(status="delivered", next_attempt_at=utcnow()).execute()
    since = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"{PAGE}/{target.id}/replay", data={"since": since})
    assert response.status_code == 302
    assert (
        WebhookDelivery.select().where(WebhookDelivery.status == "pending").count() == 3
    )
    replayed = AuditEvent.get(AuditEvent.action == "webhook.replayed")
    assert replayed.detail["queued"] == 3
    bad = client.post(f"{PAGE}/{target.id}/replay", data={"since": "yesterday"})
    assert bad.status_code == 302
    follow = client.get(PAGE).get_data(as_text=True)
    assert "Choose the date and time to replay from." in follow


def test_pause_resume_and_remove(client):
    as_staff(client)
    target = WebhookDestination.create(url="http://127.0.0.1:9/in", secret=SECRET)
    signup(ambassador())
    client.post(f"{PAGE}/{target.id}/active", data={"active": "0"})
    assert WebhookDestination.get_by_id(target.id).active is False
    assert webhooks.sweep() == 0
    assert WebhookDelivery.get().attempts == 0  # paused: nothing was tried
    assert "Paused" in client.get(PAGE).get_data(as_text=True)
    client.post(f"{PAGE}/{target.id}/active", data={"active": "1"})
    assert WebhookDestination.get_by_id(target.id).active is True
    client.post(f"{PAGE}/{target.id}/delete")  # not confirmed: nothing removed
    assert WebhookDestination.select().count() == 1
    assert "Tick the box to confirm the removal." in client.get(PAGE).get_data(
        as_text=True
    )
    client.post(f"{PAGE}/{target.id}/delete", data={"confirm": "yes"})
    assert WebhookDestination.select().count() == 0
    assert WebhookDelivery.select().count() == 0
    actions = [
        e.action
        for e in AuditEvent.select().where(AuditEvent.action.startswith("webhook."))
    ]
    assert actions == ["webhook.paused", "webhook.resumed", "webhook.deleted"]
    gone = client.post(f"{PAGE}/{target.id}/delete", data={"confirm": "yes"})
    assert gone.status_code == 404
