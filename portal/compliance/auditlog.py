"""Read the audit log for people: pages, a filter by action, CSV and JSON lines."""

import csv
import io
import json

from portal import audit
from portal.models import AuditEvent

PAGE_SIZE = 50
FORMATS = ("csv", "jsonl")
COLUMNS = (
    "id",
    "occurred_at",
    "actor",
    "action",
    "subject",
    "detail",
    "prev_hash",
    "hash",
)


def actions():
    """Return every action that occurs in the log, sorted."""
    query = AuditEvent.select(AuditEvent.action).distinct().tuples()
    return sorted(action for (action,) in query)


def _filtered(action=""):
    query = AuditEvent.select()
    if action:
        query = query.where(AuditEvent.action == action)
    return query


def page_of(page=1, action=""):
    """Return (events newest first, number of pages) for one page of the log."""
    query = _filtered(action)
    total = query.count()
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    events = list(query.order_by(AuditEvent.id.desc()).paginate(page, PAGE_SIZE))
    return events, pages, total


def _row(event):
    return {
        "id": event.id,
        "occurred_at": event.occurred_at.isoformat() + "Z",
        "actor": event.actor,
        "action": event.action,
        "subject": event.subject,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def _events(action, batch=2000):
    last_id = 0
    while True:
        chunk = list(
            _filtered(action)
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch)
        )
        if not chunk:
            return
        yield from chunk
        last_id = chunk[-1].id


def export(fmt, action=""):
    """Return (text, count) of the log, oldest first, as CSV or JSON lines."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    out = io.StringIO()
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for event in _events(action):
            row = _row(event)
            row["detail"] = json.dumps(row["detail"], sort_keys=True)
            writer.writerow(row)
            count += 1
    else:
        for event in _events(action):
            out.write(json.dumps(_row(event), sort_keys=True) + "\n")
            count += 1
    return out.getvalue(), count


def record_export(actor, fmt, action, count):
    audit.record(
        actor, "audit.exported", "", {"format": fmt, "action": action, "count": count}
    )


def verification():
    """Run the chain check and describe the result for a page or the document."""
    count, bad, reason = audit.verify()
    if bad is None:
        return {"ok": True, "count": count, "bad_id": None, "reason": ""}
    return {"ok": False, "count": count, "bad_id": bad.id, "reason": reason}
