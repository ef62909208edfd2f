"""Visits and satisfaction signals in, from the API, a CSV file or the survey.

Each item of a batch is checked on its own and accepted or rejected with its
reasons. Repeats are recognised by the sender's external id, so delivering
the same batch again, even at the same moment, changes nothing. A batch costs
a fixed number of queries: lookups by IN lists, then one insert per table.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from portal import events
from portal.db import utcnow, write_transaction
from portal.models import Location, Member, SatisfactionSignal, ServiceLine, Visit
from portal.practice import get_settings
from portal.prompts import bulk, deciding, rules, surveys

MAX_BATCH = 1000
# A clock a little ahead at the sender is fine; an appointment to come is not.
FUTURE_SLACK = timedelta(minutes=15)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class VisitFlags(Strict):
    minor: bool = False
    adverse_event: bool = False
    deceased: bool = False
    open_complaint: bool = False


class SignalIn(Strict):
    """A satisfaction signal: nps 0-10, csat 1-5 or stars 1-5."""

    scale: str = Field(pattern="^(nps|csat|stars)$")
    score: int
    recorded_at: datetime | None = None
    external_id: str | None = Field(default=None, min_length=1, max_length=255)

    @field_validator("score")
    @classmethod
    def _on_the_scale(cls, score, info):
        if "scale" in info.data:  # else the scale itself is reported
            rules.check_score(info.data["scale"], score)
        return score


class VisitIn(Strict):
    """One completed visit; a time without an offset is in the practice timezone."""

    external_id: str = Field(min_length=1, max_length=255)
    member_external_id: str | None = Field(default=None, max_length=255)
    member_email: str | None = Field(default=None, max_length=255)
    service_line: str = Field(min_length=1, max_length=255)
    location: str = Field(min_length=1, max_length=255)
    visited_at: datetime
    amount_cents: int | None = Field(default=None, ge=0)
    flags: VisitFlags = Field(default_factory=VisitFlags)
    signal: SignalIn | None = None

    @model_validator(mode="after")
    def _names_a_member(self):
        if not (self.member_external_id or self.member_email):
            raise ValueError("give member_external_id or member_email")
        return self


class SignalItem(SignalIn):
    """A signal for a visit stored earlier, e.g. from a survey tool's webhook."""

    visit_external_id: str = Field(min_length=1, max_length=255)
    external_id: str = Field(min_length=1, max_length=255)


@dataclass
class BatchReport:
    received: int = 0
    created: int = 0
    unchanged: int = 0
    rejected: list = field(default_factory=list)
    prompts_scheduled: int = 0
    prompts_suppressed: int = 0
    alerts: int = 0
    surveys: int = 0
    due: list = field(default_factory=list)
    created_ids: set = field(default_factory=set)

    def reject(self, index, external_id, problem_list):
        self.rejected.append(
            {"index": index, "external_id": external_id, "errors": problem_list}
        )

    def as_dict(self):
        return {
            "received": self.received,
            "created": self.created,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "prompts": {
                "scheduled": self.prompts_scheduled,
                "suppressed": self.prompts_suppressed,
            },
            "recovery_alerts": self.alerts,
            "surveys_scheduled": self.surveys,
        }


def problem(field_name, message):
    return [{"field": field_name, "message": message}]


def problems(exc):
    """List a validation error as {field, message}, never echoing the input."""
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "body", "message": err["msg"]}
        for err in exc.errors()
    ]


def validate(model, raw_items, report):
    """Check each raw item on its own; return [(index, item)] of the good ones."""
    good, seen = [], {}
    for index, raw in enumerate(raw_items):
        external_id = raw.get("external_id") if isinstance(raw, dict) else None
        external_id = external_id if isinstance(external_id, str) else None
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            report.reject(index, external_id, problems(exc))
            continue
        if item.external_id in seen:
            message = f"repeats item {seen[item.external_id]} of this batch"
            report.reject(index, item.external_id, problem("external_id", message))
            continue
        seen[item.external_id] = index
        good.append((index, item))
    return good


def as_utc(moment, zone):
    """Store a time as naive UTC; a time without an offset is practice time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC).replace(tzinfo=None)


def ingest_visits(raw_items, source="api"):
    """Store a batch of visits (with their signals) and decide their prompts."""
    report = BatchReport(received=len(raw_items))
    items = validate(VisitIn, raw_items, report)
    zone = ZoneInfo(get_settings().timezone)
    now = utcnow()
    members = _members(item for _, item in items)
    lines = {
        row.slug: row.id for row in ServiceLine.select(ServiceLine.id, ServiceLine.slug)
    }
    places = {row.slug: row.id for row in Location.select(Location.id, Location.slug)}
    taken = _taken_signal_ids(item for _, item in items)

    rows, signal_ids = {}, {}
    for index, item in items:
        row, errors = _visit_row(item, members, lines, places, taken, zone, now)
        signal_id = item.signal.external_id if item.signal else None
        if signal_id in signal_ids:
            message = f"repeats item {signal_ids[signal_id]} of this batch"
            errors += problem("signal.external_id", message)
        elif signal_id:
            signal_ids[signal_id] = index
        if errors:
            report.reject(index, item.external_id, errors)
            continue
        row["source"] = source
        rows[item.external_id] = (row, item.signal)
    if rows:
        with write_transaction():
            _store_visits(rows, report, zone, now)
    return report


def _members(items):
    """Find every member a batch names, by external id or email, in one query."""
    items = list(items)
    ids = {i.member_external_id for i in items if i.member_external_id}
    emails = {i.member_email.lower() for i in items if i.member_email}
    if not ids and not emails:
        return {}, {}
    query = (
        Member.select(Member.id, Member.external_id, Member.email)
        .where(
            Member.external_id.in_(bulk.among(ids))
            | Member.email.in_(bulk.among(emails))
        )
        .tuples()
    )
    by_id, by_email = {}, {}
    for member_id, external_id, email in query:
        if external_id:
            by_id[external_id] = member_id
        if email:
            by_email[email] = member_id
    return by_id, by_email


def _taken_signal_ids(items):
    wanted = {i.signal.external_id for i in items if i.signal and i.signal.external_id}
    if not wanted:
        return {}
    query = (
        SatisfactionSignal.select(SatisfactionSignal.external_id, Visit.external_id)
        .join(Visit)
        .where(SatisfactionSignal.external_id.in_(bulk.among(wanted)))
        .tuples()
    )
    return dict(query)


def _visit_row(item, members, lines, places, taken, zone, now):
    errors = []
    member_id = _member_for(item, *members, errors)
    if item.service_line not in lines:
        errors += problem("service_line", "no service line has this slug")
    if item.location not in places:
        errors += problem("location", "no location has this slug")
    visited_at = as_utc(item.visited_at, zone)
    if visited_at > now + FUTURE_SLACK:
        errors += problem(
            "visited_at", "is in the future; send visits once they happen"
        )
    signal = item.signal
    if signal and signal.external_id in taken:
        if taken[signal.external_id] != item.external_id:
            errors += problem("signal.external_id", "belongs to another visit")
    row = {
        "external_id": item.external_id,
        "member": member_id,
        "service_line": lines.get(item.service_line),
        "location": places.get(item.location),
        "visited_at": visited_at,
        "amount_cents": item.amount_cents,
        **{f"flag_{name}": value for name, value in item.flags.model_dump().items()},
        "created_at": now,
    }
    return row, errors


def _member_for(item, by_id, by_email, errors):
    found_by_id = (
        by_id.get(item.member_external_id) if item.member_external_id else None
    )
    found_by_email = (
        by_email.get(item.member_email.lower()) if item.member_email else None
    )
    if found_by_id and found_by_email and found_by_id != found_by_email:
        errors += problem(
            "member_email", "names a different member than the external id"
        )
        return None
    member_id = found_by_id or found_by_email
    if member_id is None:
        errors += problem("member", "no member has this external id or email")
    return member_id


def _store_visits(rows, report, zone, now):
    ordered = sorted(rows.values(), key=lambda pair: pair[0]["external_id"])
    # One insert order for every sender, so concurrent batches lock alike.
    created = bulk.insert(Visit, [row for row, _ in ordered], ("id", "external_id"))
    report.created = len(created)
    report.unchanged = len(rows) - len(created)
    ids = {external_id: visit_id for visit_id, external_id in created}
    report.created_ids = set(ids)
    signal_rows, pending, unsignalled = [], [], []
    for external_id, visit_id in ids.items():
        row, signal = rows[external_id]
        if signal is None:
            unsignalled.append((visit_id, row))
            continue
        signal_rows.append(signal_row(visit_id, signal, row["source"], zone, now))
        pending.append(_pending(visit_id, row, signal))
    stored = bulk.insert(SatisfactionSignal, signal_rows, ("id",))
    announce(list(ids.values()), [signal_id for (signal_id,) in stored])
    outcome = deciding.decide_many(pending, now)
    report.prompts_scheduled = len(outcome.scheduled)
    report.prompts_suppressed = len(outcome.suppressed)
    report.alerts = outcome.alerts
    report.due = [p["scheduled_for"] for p in outcome.scheduled]
    survey_times = surveys.schedule_for(unsignalled, now)
    report.surveys = len(survey_times)
    report.due += survey_times


def signal_row(visit_id, signal, source, zone, now):
    recorded = as_utc(signal.recorded_at, zone) if signal.recorded_at else now
    return {
        "visit": visit_id,
        "external_id": signal.external_id,
        "scale": signal.scale,
        "score": signal.score,
        "recorded_at": recorded,
        "source": source,
    }


def _pending(visit_id, row, signal):
    return deciding.Pending(
        visit_id=visit_id,
        member_id=row["member"],
        service_line_id=row["service_line"],
        visited_at=row["visited_at"],
        scale=signal.scale,
        score=signal.score,
        flags={flag: row[f"flag_{flag}"] for flag in rules.FLAGS},
    )


def announce(visit_ids, signal_ids):
    """Send visit_recorded and signal_recorded for rows stored just now."""
    # Building a model per row costs time; only do it when someone listens.
    if events.visit_recorded.receivers and visit_ids:
        for visit in Visit.select().where(Visit.id.in_(bulk.among(visit_ids))):
            events.visit_recorded.send(visit)
    if events.signal_recorded.receivers and signal_ids:
        query = SatisfactionSignal.select().where(
            SatisfactionSignal.id.in_(bulk.among(signal_ids))
        )
        for signal in query:
            events.signal_recorded.send(signal)
