"""The numbers on the staff prompts page: decisions over time, and what prompts led to.

Counts are grouped in the database by day, status and reason; only those few
rows come back, so the page costs the same with a hundred prompts or a million.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from peewee import fn

from portal.db import utcnow
from portal.models import Click, Prompt, ServiceLine, SignUp, Visit
from portal.prompts.rules import PLAIN_WORDS

PERIODS = (30, 90, 365)
NOT_SENT = ("suppressed", "cancelled")


@dataclass
class Week:
    starts: date
    sent: int = 0
    scheduled: int = 0
    suppressed: int = 0
    reasons: Counter = field(default_factory=Counter)

    @property
    def total(self):
        return self.sent + self.scheduled + self.suppressed


@dataclass
class LineRow:
    name: str
    sent: int = 0
    shared: int = 0
    signed_up: int = 0
    signups: int = 0

    def rate(self, count):
        return round(100 * count / self.sent) if self.sent else None


@dataclass
class Overview:
    days: int
    weeks: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    totals: Counter = field(default_factory=Counter)


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def overview(days=90, now=None):
    now = now or utcnow()
    since = now - timedelta(days=days)
    result = Overview(days=days)
    result.weeks, result.totals = _weeks(since, now)
    result.reasons = _reasons(since)
    result.lines = _lines(since)
    return result


def _weeks(since, now):
    day = fn.DATE(Prompt.decided_at)
    rows = (
        Prompt.select(
            day.alias("day"), Prompt.status, Prompt.reason_code, fn.COUNT(Prompt.id)
        )
        .where(Prompt.decided_at >= since)
        .group_by(day, Prompt.status, Prompt.reason_code)
        .tuples()
    )
    first = since.date() - timedelta(days=since.date().weekday())
    weeks = {}
    start = first
    while start <= now.date():
        weeks[start] = Week(starts=start)
        start += timedelta(days=7)
    totals = Counter()
    for value, status, reason, count in rows:
        moment = _as_date(value)
        week = weeks.get(moment - timedelta(days=moment.weekday()))
        bucket = "suppressed" if status in NOT_SENT else status
        totals[bucket] += count
        if week is None:
            continue
        setattr(week, bucket, getattr(week, bucket) + count)
        if bucket == "suppressed":
            week.reasons[reason] += count
    return list(weeks.values()), totals


def _reasons(since):
    rows = (
        Prompt.select(Prompt.reason_code, fn.COUNT(Prompt.id).alias("n"))
        .where(Prompt.decided_at >= since, Prompt.status.in_(NOT_SENT))
        .group_by(Prompt.reason_code)
        .order_by(fn.COUNT(Prompt.id).desc(), Prompt.reason_code)
        .tuples()
    )
    return [(code, PLAIN_WORDS.get(code, code), count) for code, count in rows]


def _lines(since):
    """Prompts sent per service line, and how many led to a share or a sign-up."""
    names = {line.id: line.name for line in ServiceLine.select()}
    sent = (
        Prompt.select(Visit.service_line, fn.COUNT(Prompt.id))
        .join(Visit)
        .where(Prompt.status == "sent", Prompt.sent_at >= since)
        .group_by(Visit.service_line)
        .tuples()
    )
    table = {line: LineRow(name=names.get(line, ""), sent=n) for line, n in sent}
    clicked = _per_ref(Click, Click.prompt_id, Click.clicked_at >= since)
    signups = _per_ref(SignUp, SignUp.prompt_id, SignUp.created_at >= since)
    shared_ids = {
        prompt_id
        for (prompt_id,) in Prompt.select(Prompt.id)
        .where(Prompt.status == "sent", Prompt.sent_at >= since)
        .where(Prompt.shared_at.is_null(False))
        .tuples()
    }
    acted = shared_ids | set(clicked) | set(signups)
    for prompt_id, line in _lines_of(acted, since).items():
        row = table.get(line)
        if row is None:
            continue
        row.shared += prompt_id in shared_ids or prompt_id in clicked
        row.signed_up += prompt_id in signups
        row.signups += signups.get(prompt_id, 0)
    return sorted(table.values(), key=lambda row: (-row.sent, row.name))


def _per_ref(model, column, recent):
    """Count rows per prompt reference, keyed by prompt id."""
    query = (
        model.select(column, fn.COUNT(model.id))
        .where(column.is_null(False), recent)
        .group_by(column)
        .tuples()
    )
    return {int(ref): count for ref, count in query if str(ref).isdigit()}


def _lines_of(prompt_ids, since):
    """Return {prompt id: service line id} for sent prompts among prompt_ids."""
    found, ids = {}, sorted(prompt_ids)
    for start in range(0, len(ids), 900):
        query = (
            Prompt.select(Prompt.id, Visit.service_line)
            .join(Visit)
            .where(
                Prompt.id.in_(ids[start : start + 900]),
                Prompt.status == "sent",
                Prompt.sent_at >= since,
            )
            .tuples()
        )
        found.update(dict(query))
    return found
