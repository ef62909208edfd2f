"""Webhook destinations as staff set them up: validation and the changes made."""

import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from portal import audit
from portal.attribution import feed, webhooks
from portal.models import AttributionEvent, WebhookDestination

MIN_SECRET = 24
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass
class Draft:
    url: str = ""
    secret: str = ""
    event_types: list = field(default_factory=lambda: list(feed.EVENT_TYPES))
    errors: dict = field(default_factory=dict)


def new_secret():
    return secrets.token_urlsafe(32)


def read_draft(form, production):
    """Check a submitted destination; the Draft carries any errors by field."""
    draft = Draft(
        url=form.get("url", "").strip(),
        secret=form.get("secret", "").strip(),
        event_types=[t for t in form.getlist("event_types") if t in feed.EVENT_TYPES],
    )
    url_problem = _url_problem(draft.url, production)
    if url_problem:
        draft.errors["url"] = url_problem
    if len(draft.secret) < MIN_SECRET or any(c.isspace() for c in draft.secret):
        draft.errors["secret"] = "secret"
    if not draft.event_types:
        draft.errors["event_types"] = "event_types"
    return draft


def _url_problem(url, production):
    parts = urlsplit(url)
    if len(url) > 500 or parts.scheme not in ("http", "https") or not parts.hostname:
        return "url"
    if parts.username or parts.password:
        return "url_credentials"
    if production and parts.scheme != "https" and parts.hostname not in LOCAL_HOSTS:
        return "url_https"
    return None


def create(draft, staff, actor):
    chosen = draft.event_types
    types = "*" if set(chosen) == set(feed.EVENT_TYPES) else ",".join(chosen)
    destination = WebhookDestination.create(
        url=draft.url, secret=draft.secret, event_types=types, created_by=staff
    )
    audit.record(
        actor,
        "webhook.created",
        f"webhook:{destination.id}",
        {"event_types": types, "host": urlsplit(draft.url).hostname},
    )
    return destination


def set_active(destination, active, actor):
    destination.active = active
    destination.save()
    action = "webhook.resumed" if active else "webhook.paused"
    audit.record(actor, action, f"webhook:{destination.id}")
    if active:
        webhooks.kick([destination.id])


def delete(destination, actor):
    destination_id = destination.id
    destination.delete_instance(recursive=True)
    audit.record(actor, "webhook.deleted", f"webhook:{destination_id}")


def replay(destination, since, actor):
    queued = webhooks.replay(destination, since)
    audit.record(
        actor,
        "webhook.replayed",
        f"webhook:{destination.id}",
        {"since": since.isoformat(), "queued": queued},
    )
    webhooks.kick([destination.id])
    return queued


def overview():
    """Each destination with its backlog, failures and oldest waiting event."""
    stats = webhooks.backlog()
    first_ids = [s["first_waiting"] for s in stats.values() if s.get("first_waiting")]
    times = {}
    if first_ids:
        query = AttributionEvent.select(
            AttributionEvent.id, AttributionEvent.occurred_at
        ).where(AttributionEvent.id.in_(first_ids))
        times = {event.id: event.occurred_at for event in query}
    rows = []
    for destination in WebhookDestination.select().order_by(WebhookDestination.id):
        entry = stats.get(destination.id, {})
        rows.append(
            {
                "destination": destination,
                "types": _types(destination.event_types),
                "waiting": entry.get("waiting", 0),
                "delivered": entry.get("delivered", 0),
                "failed": entry.get("failed", 0),
                "oldest_waiting": times.get(entry.get("first_waiting")),
            }
        )
    return rows


def _types(event_types):
    chosen = event_types.strip()
    return list(feed.EVENT_TYPES) if chosen == "*" else chosen.split(",")
