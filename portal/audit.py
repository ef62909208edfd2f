"""The append-only audit log, each event chained to the previous by SHA-256.

An event's hash covers its content and the previous event's hash, so changing,
removing or reordering any stored event breaks every hash after it.
"""

import hashlib
import json

from portal.db import database, is_sqlite, utcnow, write_transaction
from portal.models import AuditEvent

GENESIS = "0" * 64


def _digest(prev_hash, occurred_at, actor, action, subject, detail):
    document = json.dumps(
        [prev_hash, occurred_at.isoformat(), actor, action, subject, detail],
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(document.encode()).hexdigest()


def record(actor, action, subject="", detail=None):
    """Append one audit event; actor and subject are ids, never names."""
    detail = detail or {}
    with write_transaction():
        _lock_chain()
        last = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
        prev_hash = last.hash if last else GENESIS
        occurred_at = utcnow()
        return AuditEvent.create(
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            subject=subject,
            detail=detail,
            prev_hash=prev_hash,
            hash=_digest(prev_hash, occurred_at, actor, action, subject, detail),
        )


def _lock_chain():
    # Two writers must not both chain onto the same last event.
    if is_sqlite():
        return  # write_transaction already holds SQLite's single write lock.
    database.execute_sql("LOCK TABLE audit_event IN SHARE ROW EXCLUSIVE MODE")


def verify(batch=5000):
    """Check the whole chain; return (count, first bad event or None, reason)."""
    prev_hash = GENESIS
    count = 0
    last_id = 0
    while True:
        events = list(
            AuditEvent.select()
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch)
        )
        if not events:
            return count, None, ""
        for event in events:
            if event.prev_hash != prev_hash:
                return count, event, "does not follow the event before it"
            expected = _digest(
                event.prev_hash,
                event.occurred_at,
                event.actor,
                event.action,
                event.subject,
                event.detail,
            )
            if event.hash != expected:
                return count, event, "content does not match its hash"
            prev_hash = event.hash
            count += 1
        last_id = events[-1].id
