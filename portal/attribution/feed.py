"""The attribution feed: recording events, reading them by cursor, backfilling.

An event's id is its cursor. Readers must never see a later id before an
earlier one has committed, or a cursor would step over it for good. SQLite
has one writer at a time, so ids commit in order. On PostgreSQL a reader first
takes a SHARE lock on the table, which waits for every transaction that is
still inserting events and holds back new ones for the moment of the read.
"""

import contextlib
import uuid

from peewee import fn

from portal.attribution import payloads, webhooks
from portal.db import database, is_sqlite, utcnow, write_transaction
from portal.models import AttributionEvent, Invitation, Prompt, Recognition, SignUp

SIGNUP_CREATED = "signup.created"
SIGNUP_STATUS_CHANGED = "signup.status_changed"
PROMPT_SENT = "prompt.sent"
RECOGNITION_APPROVED = "recognition.approved"
INVITATION_ACCEPTED = "invitation.accepted"
EVENT_TYPES = (
    SIGNUP_CREATED,
    SIGNUP_STATUS_CHANGED,
    PROMPT_SENT,
    RECOGNITION_APPROVED,
    INVITATION_ACCEPTED,
)
MAX_PAGE = 1000


def record(event_type, payload, signup_id=None, occurred_at=None):
    """Store one event and queue it for every matching webhook destination."""
    with write_transaction():
        event = AttributionEvent.create(
            event_id=str(uuid.uuid4()),
            type=event_type,
            occurred_at=occurred_at or utcnow(),
            signup=signup_id,
            payload=payload,
        )
        destinations = webhooks.queue(event)
    webhooks.kick(destinations)
    return event


def document(event):
    """The one JSON shape of an event, pulled or pushed."""
    return {
        "cursor": event.id,
        "id": event.event_id,
        "type": event.type,
        "occurred_at": payloads.iso(event.occurred_at),
        "data": event.payload,
    }


@contextlib.contextmanager
def settled():
    """Hold off new events while reading, so no earlier id is still in flight."""
    if is_sqlite():
        yield
        return
    with database.atomic():
        database.execute_sql("LOCK TABLE attribution_event IN SHARE MODE")
        yield


def page(after, limit):
    """Return (events after the cursor in id order, next cursor, more waiting)."""
    with settled():
        rows = list(
            AttributionEvent.select()
            .where(AttributionEvent.id > after)
            .order_by(AttributionEvent.id)
            .limit(limit + 1)
        )
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if rows else after), more


def backfill(batch=1000):
    """Write the events of rows stored without signals (demo data, bulk loads).

    Safe to run again: a sign-up, prompt, recognition or invitation that
    already has its event gets no second one. Backfilled events are not
    pushed to webhooks; staff replay a destination from a date for that.
    """
    pending = _signup_rows() + _prompt_rows() + _recognition_rows()
    pending += _invitation_rows()
    pending.sort(key=lambda row: (row["occurred_at"], row["type"]))
    with database.atomic():
        for start in range(0, len(pending), batch):
            AttributionEvent.insert_many(pending[start : start + batch]).execute()
    return len(pending)


def _row(event_type, payload, occurred_at, signup_id=None):
    return {
        "event_id": str(uuid.uuid4()),
        "type": event_type,
        "occurred_at": occurred_at,
        "signup": signup_id,
        "payload": payload,
    }


def _has_event(event_type):
    return fn.EXISTS(
        AttributionEvent.select(AttributionEvent.id).where(
            AttributionEvent.signup == SignUp.id, AttributionEvent.type == event_type
        )
    )


def _signup_rows():
    rows = []
    for signup in SignUp.select().where(~_has_event(SIGNUP_CREATED)):
        facts = payloads.signup_facts(signup)
        rows.append(_row(SIGNUP_CREATED, facts, signup.created_at, signup.id))
    changed = SignUp.select().where(
        SignUp.status != "new", ~_has_event(SIGNUP_STATUS_CHANGED)
    )
    for signup in changed:
        # The path the sign-up took is unknown; only where it stands is known.
        facts = payloads.status_change(signup, None, signup.status)
        rows.append(
            _row(SIGNUP_STATUS_CHANGED, facts, signup.status_changed_at, signup.id)
        )
    return rows


def _recorded_ids(event_type, key):
    query = AttributionEvent.select(AttributionEvent.payload).where(
        AttributionEvent.type == event_type
    )
    return {event.payload.get(key) for event in query}


def _prompt_rows():
    done = _recorded_ids(PROMPT_SENT, "prompt_id")
    query = Prompt.select().where(Prompt.sent_at.is_null(False))
    return [
        _row(PROMPT_SENT, payloads.prompt_sent(prompt), prompt.sent_at)
        for prompt in query
        if prompt.id not in done
    ]


def _recognition_rows():
    done = _recorded_ids(RECOGNITION_APPROVED, "recognition_id")
    query = Recognition.select().where(
        Recognition.status.in_(("approved", "fulfilled")),
        Recognition.decided_at.is_null(False),
    )
    return [
        _row(
            RECOGNITION_APPROVED,
            payloads.recognition_approved(item),
            item.decided_at,
            item.signup_id,
        )
        for item in query
        if item.id not in done
    ]


def _invitation_rows():
    done = _recorded_ids(INVITATION_ACCEPTED, "invitation_id")
    query = (
        SignUp.select(SignUp, Invitation)
        .join(Invitation)
        .where(Invitation.joined_at.is_null(False))
        .order_by(SignUp.id)
    )
    rows, seen = [], set()
    for signup in query:
        invitation = signup.invitation
        if invitation.id in done or invitation.id in seen:
            continue
        seen.add(invitation.id)
        payload = payloads.invitation_accepted(invitation, signup)
        rows.append(_row(INVITATION_ACCEPTED, payload, invitation.joined_at, signup.id))
    return rows
