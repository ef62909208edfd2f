"""CSV files: sign-ups with their attribution, and the monthly report's tables.

Every text cell that a spreadsheet would run as a formula is neutralised
with a leading quote, because how-heard answers and UTM tags come from the
public sign-up form.
"""

import csv
import io
from datetime import datetime, timedelta

from peewee import JOIN

from portal.models import Location, ServiceLine, SignUp
from portal.reports.period import to_local, to_utc

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SIGNUP_COLUMNS = (
    "signup_id",
    "created_at_local",
    "kind",
    "status",
    "status_changed_at_local",
    "became_patient_at_local",
    "source",
    "how_heard_detail",
    "channel",
    "attribution_method",
    "ambassador_member_id",
    "invitation_id",
    "service_line",
    "location",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "origin",
    "self_referral",
    "existing_patient",
    "patient_member_id",
)


def safe_cell(value):
    """Return the value for a CSV cell, quoting text that starts like a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def date_bounds(first_day, last_day, timezone):
    """UTC bounds for whole local days, last day included."""
    start = datetime.combine(first_day, datetime.min.time())
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time())
    return to_utc(start, timezone), to_utc(end, timezone)


def _local(moment, timezone):
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = to_local(moment, timezone)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""


def signup_query(start, end):
    return (
        SignUp.select(
            SignUp,
            ServiceLine.slug.alias("service_line_slug"),
            Location.slug.alias("location_slug"),
        )
        .join(ServiceLine, JOIN.LEFT_OUTER, on=(SignUp.service_line == ServiceLine.id))
        .switch(SignUp)
        .join(Location, JOIN.LEFT_OUTER, on=(SignUp.location == Location.id))
        .where(SignUp.created_at >= start, SignUp.created_at < end)
        .order_by(SignUp.created_at, SignUp.id)
    )


def count_signups(start, end):
    query = SignUp.select().where(SignUp.created_at >= start, SignUp.created_at < end)
    return query.count()


def _signup_row(row, timezone):
    return (
        row["id"],
        _local(row["created_at"], timezone),
        row["kind"],
        row["status"],
        _local(row["status_changed_at"], timezone),
        _local(row["became_patient_at"], timezone),
        row["how_heard"],
        row["how_heard_detail"],
        row["channel"],
        row["attribution_method"],
        row["ambassador"],
        row["invitation"],
        row["service_line_slug"],
        row["location_slug"],
        row["utm_source"],
        row["utm_medium"],
        row["utm_campaign"],
        row["utm_term"],
        row["utm_content"],
        row["origin"],
        bool(row["self_referral"]),
        bool(row["existing_patient"]),
        row["member"],
    )


def signup_lines(start, end, timezone):
    """Yield the CSV text line by line (header first), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(SIGNUP_COLUMNS)
    yield flush()
    for row in signup_query(start, end).dicts().iterator():
        writer.writerow([safe_cell(v) for v in _signup_row(row, timezone)])
        yield flush()


def write_signups(stream, start, end, timezone):
    """Write the sign-ups CSV to an open text stream; return the row count."""
    rows = -1
    for line in signup_lines(start, end, timezone):
        stream.write(line)
        rows += 1
    return rows


def monthly_csv(report):
    """The monthly report's tables, one block per section, as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("section", "key", "metric", "value"))
    for section, key, metric, value in monthly_cells(report):
        writer.writerow([safe_cell(section), safe_cell(key), metric, safe_cell(value)])
    return buffer.getvalue()


def monthly_cells(report):
    """Flatten the report into (section, key, metric, value) rows."""
    month = report["month"]
    for metric, value in report["totals"].items():
        yield "totals", month, metric, value
    for section, label in (
        ("by_source", "source"),
        ("by_channel", "channel"),
        ("by_ambassador", "member_id"),
        ("by_service_line", "name"),
        ("by_location", "name"),
        ("revenue", "source"),
    ):
        for row in report[section]:
            for metric, value in row.items():
                if metric not in (label, "id"):
                    yield section, row[label], metric, value
    for metric, value in report["funnel"].items():
        yield "funnel", month, metric, value
    for row in report["trend"]:
        for metric, value in row.items():
            if metric != "month":
                yield "trend", row["month"], metric, value
    yield from _recognition_cells(report["recognition"])
    for row in report["dormant"]["members"]:
        yield "dormant", row["member_id"], "referrals", row["referrals"]
        yield "dormant", row["member_id"], "last_referred_on", row["last_referred_on"]


def _recognition_cells(recognition):
    for row in recognition["months"]:
        yield "recognition", row["month"], "value_cents", row["value_cents"]
        yield "recognition", row["month"], "count", row["count"]
    for metric in (
        "year_to_date_cents",
        "members_recognised",
        "members_near_cap",
        "members_over_cap",
    ):
        yield "recognition", recognition["year"], metric, recognition[metric]
    caps = recognition["caps"] or {}
    for metric in ("annual_cents", "per_item_cents", "federal_annual_cents"):
        if caps.get(metric) is not None:
            yield "recognition", recognition["year"], f"cap_{metric}", caps[metric]
