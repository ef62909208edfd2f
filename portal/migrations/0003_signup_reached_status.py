"""Keep the furthest funnel step each sign-up reached.

The monthly funnel used to count a sign-up at its current status only, so one
that was seen and then closed dropped out of "scheduled" and "seen". The new
column remembers the furthest step. Existing rows take it from their status
and from the status changes in the audit log, which has every one of them.
The reports' covering index swaps "status" for the new column.
"""

import json

STEPS = ("new", "contacted", "scheduled", "seen", "became_patient")
OLD_INDEX = "sign_up_created_at_ambassador_id_how_heard_channel_statu_635282c"
NEW_INDEX = (
    'CREATE INDEX IF NOT EXISTS "sign_up_created_at_ambassador_id_how_heard_channel_'
    'reach_6763292" ON "sign_up" ("created_at", "ambassador_id", "how_heard", '
    '"channel", "reached_status", "service_line_id", "location_id")'
)


def _furthest(*statuses):
    steps = [status for status in statuses if status in STEPS]
    return max(steps, key=STEPS.index, default="new")


def _reached_from_audit(db):
    """Return {sign-up id: furthest step} from the audit log's status changes."""
    reached = {}
    rows = db.execute_sql(
        "SELECT subject, detail FROM audit_event WHERE action = 'signup.status_changed'"
    )
    for subject, detail in rows:
        kind, _, number = (subject or "").partition(":")
        if kind != "signup" or not number.isdigit():
            continue
        try:
            changed = json.loads(detail or "{}")
        except ValueError:
            continue
        signup_id = int(number)
        reached[signup_id] = _furthest(
            reached.get(signup_id, "new"),
            changed.get("old_status"),
            changed.get("new_status"),
        )
    return reached


def upgrade(db):
    # One plain ADD COLUMN with a default, which both databases accept for a
    # NOT NULL column. (The SQLite migrator would rebuild the table to add
    # NOT NULL, and dropping the old table fails on the rows that refer to it.)
    db.execute_sql(
        "ALTER TABLE sign_up ADD COLUMN reached_status VARCHAR(255) NOT NULL "
        "DEFAULT 'new'"
    )
    backfill(db)
    db.execute_sql(f'DROP INDEX IF EXISTS "{OLD_INDEX}"')
    db.execute_sql(NEW_INDEX)


def backfill(db):
    """Set every sign-up's furthest step from its status and the audit log."""
    param = db.param
    for step in STEPS[1:]:
        db.execute_sql(
            f"UPDATE sign_up SET reached_status = {param} WHERE status = {param}",
            (step, step),
        )
    current = dict(db.execute_sql("SELECT id, reached_status FROM sign_up"))
    for signup_id, step in _reached_from_audit(db).items():
        known = current.get(signup_id)
        if known is not None and _furthest(known, step) != known:
            db.execute_sql(
                f"UPDATE sign_up SET reached_status = {param} WHERE id = {param}",
                (step, signup_id),
            )
