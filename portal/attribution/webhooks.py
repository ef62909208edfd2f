"""Webhook delivery: every event POSTed, signed, once, in order per destination.

Each destination has a queue of WebhookDelivery rows ordered by event id.
Only the head of a queue is ever sent; while it fails, the events behind it
wait. A sender claims the head by moving it to "sending" with a short lease
(a conditional UPDATE, so two workers never send the same event at once, and
a crashed worker's claim runs out). Failures back off exponentially; the
head is given up ("failed") only once it has been retried for 24 hours.
"""

import hashlib
import hmac
import http.client
import json
import logging
import ssl
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from peewee import fn

from portal.db import utcnow
from portal.models import AttributionEvent, WebhookDelivery, WebhookDestination

log = logging.getLogger("portal")

SIGNATURE_HEADER = "X-Portal-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
EVENT_HEADER = "X-Portal-Event"
USER_AGENT = "AmbassadorPortal-Webhooks/1"
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=3)
RETRY_FOR = timedelta(hours=24)
LEASE = timedelta(minutes=2)
KICK_DELAY_SECONDS = 2
BATCH = 200
WAITING = ("pending", "sending")


def backoff(attempts):
    """How long to wait after the given number of failed attempts."""
    return min(FIRST_DELAY * 2 ** (attempts - 1), MAX_DELAY)


def retried_for(attempts):
    """Time between the first attempt and attempt number ``attempts``."""
    return sum((backoff(n) for n in range(1, attempts)), timedelta())


def gives_up(attempts):
    return retried_for(attempts) >= RETRY_FOR


def sign(secret, body, timestamp=None):
    """The signature header: HMAC-SHA256 of "<timestamp>." and the body."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def wants(destination, event_type):
    chosen = destination.event_types.strip()
    return chosen == "*" or event_type in chosen.split(",")


def queue(event):
    """Queue an event for every destination that takes its type; return their ids."""
    chosen = [d.id for d in WebhookDestination.select() if wants(d, event.type)]
    if chosen:
        now = utcnow()
        WebhookDelivery.insert_many(
            [
                {"destination": d, "event": event.id, "next_attempt_at": now}
                for d in chosen
            ]
        ).execute()
    return chosen


def kick(destination_ids):
    """Ask the worker to deliver soon; the periodic sweep covers a lost request."""
    from portal.attribution.tasks import deliver_task

    for destination_id in destination_ids:
        try:
            # A short delay lets the sender's transaction commit first.
            deliver_task.schedule(args=(destination_id,), delay=KICK_DELAY_SECONDS)
        except Exception:
            log.exception("webhook kick failed destination=%s", destination_id)


def body_of(event):
    from portal.attribution.feed import document

    return json.dumps(document(event), sort_keys=True, separators=(",", ":")).encode()


def post(url, body, headers, timeout):
    """POST body; return None on a 2xx answer, else what went wrong."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname,
            parts.port,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=timeout
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)
    except TimeoutError:
        return f"no answer within {timeout:g} seconds"
    except (OSError, http.client.HTTPException) as exc:
        return f"connection failed: {type(exc).__name__}"
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return None
    return f"HTTP {response.status}"


def send(destination, event):
    """POST one event to a destination, signed; return None or the error."""
    body = body_of(event)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(destination.secret, body),
        IDEMPOTENCY_HEADER: event.event_id,
        EVENT_HEADER: event.type,
    }
    timeout = current_app.config["WEBHOOK_TIMEOUT"]
    return post(destination.url, body, headers, timeout)


def deliver_destination(destination_id, now=None):
    """Send up to BATCH due events in order; stop at the first failure."""
    delivered = 0
    for _ in range(BATCH):
        moment = now or utcnow()
        destination = WebhookDestination.get_or_none(
            WebhookDestination.id == destination_id
        )
        if destination is None or not destination.active:
            break
        delivery = _claim_head(destination, moment)
        if delivery is None:
            break
        error = send(destination, delivery.event)
        if error is None:
            _delivered(destination, delivery, moment)
            delivered += 1
        elif not _failed(destination, delivery, error, moment):
            break
    return delivered


def _claim_head(destination, now):
    from portal.attribution.feed import settled

    with settled():
        head = (
            WebhookDelivery.select(WebhookDelivery, AttributionEvent)
            .join(AttributionEvent)
            .where(
                WebhookDelivery.destination == destination.id,
                WebhookDelivery.status.in_(WAITING),
            )
            .order_by(WebhookDelivery.event)
            .first()
        )
    if head is None or head.next_attempt_at > now:
        return None
    claimed = (
        WebhookDelivery.update(status="sending", next_attempt_at=now + LEASE)
        .where(
            WebhookDelivery.id == head.id,
            WebhookDelivery.status.in_(WAITING),
            WebhookDelivery.next_attempt_at <= now,
        )
        .execute()
    )
    return head if claimed else None


def _delivered(destination, delivery, now):
    WebhookDelivery.update(
        status="delivered",
        attempts=WebhookDelivery.attempts + 1,
        delivered_at=now,
        last_error="",
    ).where(WebhookDelivery.id == delivery.id).execute()
    WebhookDestination.update(last_success_at=now, last_error="").where(
        WebhookDestination.id == destination.id
    ).execute()


def _failed(destination, delivery, error, now):
    """Record a failed attempt; return True when the queue may move on."""
    attempts = delivery.attempts + 1
    given_up = gives_up(attempts)
    WebhookDelivery.update(
        status="failed" if given_up else "pending",
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
        last_error=error,
    ).where(WebhookDelivery.id == delivery.id).execute()
    note = "gave up after 24 hours of retries" if given_up else "will retry"
    WebhookDestination.update(
        last_error=f"{now:%Y-%m-%d %H:%M} UTC, event {delivery.event_id}: "
        f"{error} ({note})"
    ).where(WebhookDestination.id == destination.id).execute()
    log.warning(
        "webhook delivery failed destination=%s event=%s attempt=%s error=%s",
        destination.id,
        delivery.event_id,
        attempts,
        error,
    )
    return given_up


def sweep(now=None):
    """Deliver for every active destination with an event due; return the count."""
    moment = now or utcnow()
    due = (
        WebhookDelivery.select(WebhookDelivery.destination)
        .join(WebhookDestination)
        .where(
            WebhookDelivery.status.in_(WAITING),
            WebhookDelivery.next_attempt_at <= moment,
            WebhookDestination.active == True,  # noqa: E712
        )
        .distinct()
    )
    destination_ids = sorted({row.destination_id for row in due})
    sent = {d: deliver_destination(d, now=now) for d in destination_ids}
    kick([d for d, count in sent.items() if count >= BATCH])
    return sum(sent.values())


def replay(destination, since, batch=1000):
    """Queue again every event of the destination's types from ``since`` on."""
    now = utcnow()
    events = AttributionEvent.select(AttributionEvent.id).where(
        AttributionEvent.occurred_at >= since
    )
    chosen = destination.event_types.strip()
    if chosen != "*":
        events = events.where(AttributionEvent.type.in_(chosen.split(",")))
    reset = (
        WebhookDelivery.update(
            status="pending",
            attempts=0,
            next_attempt_at=now,
            last_error="",
            delivered_at=None,
        )
        .where(
            WebhookDelivery.destination == destination.id,
            WebhookDelivery.event.in_(events),
        )
        .execute()
    )
    queued = WebhookDelivery.select(WebhookDelivery.event).where(
        WebhookDelivery.destination == destination.id
    )
    missing = [e.id for e in events.where(AttributionEvent.id.not_in(queued))]
    for start in range(0, len(missing), batch):
        WebhookDelivery.insert_many(
            [
                {"destination": destination.id, "event": e, "next_attempt_at": now}
                for e in missing[start : start + batch]
            ]
        ).execute()
    return reset + len(missing)


def backlog():
    """Count each destination's deliveries by status, and its oldest waiting event."""
    rows = (
        WebhookDelivery.select(
            WebhookDelivery.destination,
            WebhookDelivery.status,
            fn.COUNT(WebhookDelivery.id).alias("n"),
            fn.MIN(WebhookDelivery.event).alias("first_event"),
        )
        .group_by(WebhookDelivery.destination, WebhookDelivery.status)
        .dicts()
    )
    stats = {}
    for row in rows:
        entry = stats.setdefault(
            row["destination"], {"waiting": 0, "delivered": 0, "failed": 0}
        )
        key = "waiting" if row["status"] in WAITING else row["status"]
        entry[key] = entry.get(key, 0) + row["n"]
        if key == "waiting":
            first = entry.get("first_waiting")
            entry["first_waiting"] = min(filter(None, (first, row["first_event"])))
    return stats
