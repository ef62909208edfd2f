"""Deliver outbox rows: claim each once, retry with backoff, give up visibly."""

import datetime
import logging

from flask import current_app

from portal.db import utcnow
from portal.mail import backends
from portal.models import OutboxMessage, Suppression

log = logging.getLogger("portal")

# A claimed row is left alone this long; past it the attempt counts as lost.
LEASE = datetime.timedelta(minutes=10)
FIRST_RETRY_SECONDS = 30
LONGEST_WAIT_SECONDS = 3600
SWEEP_BATCH = 200


def backoff(attempts):
    """Seconds to wait after the given number of failed attempts: 30s, 60s, 2m..."""
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_WAIT_SECONDS)


def claim(message_id, now):
    """Move a due row from pending to sending; True only for the one caller that did."""
    claimed = (
        OutboxMessage.update(
            status="sending",
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=now + LEASE,
        )
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
        )
        .execute()
    )
    return claimed == 1


def deliver(message_id, now=None):
    """Try to deliver one row; return its status afterwards (or None if not ours)."""
    now = now or utcnow()
    if not claim(message_id, now):
        return None
    message = OutboxMessage.get_by_id(message_id)

    if message.marketing and _suppressed(message.to_email):
        return _finish(message, status="suppressed")
    try:
        provider_id = backends.deliver(message)
    except backends.DeliveryError as exc:
        return _failed_attempt(message, str(exc), exc.retry)
    except Exception as exc:
        log.exception("outbox delivery crashed message=%s", message.id)
        return _failed_attempt(message, f"unexpected error: {type(exc).__name__}", True)

    log.info("outbox sent message=%s attempt=%s", message.id, message.attempts)
    return _finish(message, status="sent", sent_at=utcnow(), provider_id=provider_id)


def _failed_attempt(message, error, retry):
    limit = current_app.config["MAIL_MAX_ATTEMPTS"]
    if not retry or message.attempts >= limit:
        log.warning(
            "outbox failed message=%s attempts=%s error=%s",
            message.id,
            message.attempts,
            error,
        )
        return _finish(message, status="failed", last_error=error)

    due = utcnow() + datetime.timedelta(seconds=backoff(message.attempts))
    _finish(message, status="pending", last_error=error, next_attempt_at=due)
    log.info(
        "outbox retry message=%s attempt=%s due=%s", message.id, message.attempts, due
    )
    _schedule(message.id, due)
    return "pending"


def _finish(message, status, **values):
    # Only the claimant moves a row on from "sending".
    OutboxMessage.update(status=status, **values).where(
        OutboxMessage.id == message.id, OutboxMessage.status == "sending"
    ).execute()
    return status


def _schedule(message_id, due):
    from portal.mail import tasks  # the task module imports this one

    try:
        tasks.deliver_message.schedule((message_id,), eta=due)
    except Exception:
        log.exception(
            "outbox schedule failed message=%s; the sweep will retry", message_id
        )


def _suppressed(email):
    return Suppression.select().where(Suppression.email == email).exists()


def sweep(now=None, batch=SWEEP_BATCH):
    """Deliver every due pending row and give up on lost attempts; return counts."""
    now = now or utcnow()
    counts = {"sent": 0, "pending": 0, "failed": 0, "suppressed": 0, "lost": 0}
    counts["lost"] = _release_lost(now)
    due = (
        OutboxMessage.select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch)
    )
    for message_id in [row.id for row in due]:
        status = deliver(message_id, now=now)
        if status:
            counts[status] += 1
    return counts


def _release_lost(now):
    """Mark failed the rows whose worker vanished mid-send.

    Whether the provider accepted such a message is unknown, and sending it
    again could send it twice, so a person decides from the outbox page.
    """
    return (
        OutboxMessage.update(
            status="failed",
            last_error="the attempt was interrupted; it may not have gone out",
        )
        .where(OutboxMessage.status == "sending", OutboxMessage.next_attempt_at <= now)
        .execute()
    )


def retry(message_id):
    """Put a failed row back in the queue with fresh attempts; True if it was failed.

    A row whose body the retention job has already cleared cannot be sent again.
    """
    changed = (
        OutboxMessage.update(status="pending", attempts=0, next_attempt_at=utcnow())
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == "failed",
            OutboxMessage.text_body != "",
        )
        .execute()
    )
    return changed == 1
