"""Store a prompt decision for many visits at once, with what each rule saw.

Everything a batch needs is read up front (members, suppressions, prompt
history, rules, service lines), the rules run in memory, and the decisions
are written with one insert, so a batch of a thousand visits costs a handful
of queries whatever its size.
"""

from dataclasses import dataclass, field
from datetime import datetime

from peewee import fn

from portal.db import is_sqlite, utcnow
from portal.models import (
    Member,
    Prompt,
    PromptRule,
    RecoveryAlert,
    ServiceLine,
    Suppression,
)
from portal.practice import get_settings
from portal.prompts import bulk, rules

COUNTED = ("scheduled", "sent")


@dataclass
class Pending:
    """A visit and the satisfaction signal that decides it."""

    visit_id: int
    member_id: int
    service_line_id: int | None
    visited_at: datetime
    scale: str
    score: int
    flags: dict = field(default_factory=dict)
    # Demo history decides each visit as of its signal; live intake as of now.
    decided_at: datetime | None = None


@dataclass
class Outcome:
    prompts: list = field(default_factory=list)
    alerts: int = 0

    @property
    def scheduled(self):
        return [p for p in self.prompts if p["status"] == "scheduled"]

    @property
    def suppressed(self):
        return [p for p in self.prompts if p["status"] == "suppressed"]


def rule_values(row, slug=None):
    """Turn a PromptRule row into the plain values the rules read."""
    return rules.RuleValues(
        enabled=row.enabled,
        nps_min=row.nps_min,
        csat_min=row.csat_min,
        stars_min=row.stars_min,
        cooldown_days=row.cooldown_days,
        lifetime_limit=row.lifetime_limit,
        delay_minutes=row.delay_minutes,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        source=f"service_line:{slug}" if slug else "default",
        rule_id=row.id,
    )


def load_rules(lines=None):
    """Return {service line id or None: RuleValues}; None is the default."""
    lines = lines if lines is not None else _service_lines()
    found = {}
    for row in PromptRule.select():
        slug = lines[row.service_line_id]["slug"] if row.service_line_id else None
        found[row.service_line_id] = rule_values(row, slug)
    found.setdefault(None, rules.RuleValues(source="built-in"))
    return found


def _service_lines():
    return {
        line.id: {
            "slug": line.slug,
            "sensitive": line.sensitive,
            "referral_enabled": line.referral_enabled,
        }
        for line in ServiceLine.select()
    }


class Context:
    """What the rules need to know about a batch's members and service lines."""

    def __init__(self, member_ids):
        member_ids = sorted(set(member_ids))
        self.timezone = get_settings().timezone
        self.lines = _service_lines()
        self.rules = load_rules(self.lines)
        self.members = _members(member_ids)
        self.suppressed = _suppressed([m.email for m in self.members.values()])
        self.history = _history(member_ids)
        self._snapshots = {}

    def rule_for(self, service_line_id):
        return self.rules.get(service_line_id) or self.rules[None]

    def snapshot(self, rule):
        """The rule's values as stored with each decision (made once per rule)."""
        key = (rule.source, rule.rule_id)
        if key not in self._snapshots:
            self._snapshots[key] = rule.snapshot(self.timezone)
        return self._snapshots[key]

    def member_facts(self, member_id):
        member = self.members[member_id]
        last, count = self.history.get(member_id, (None, 0))
        return rules.MemberFacts(
            has_email=bool(member.email),
            opted_out=member.prompts_opt_out,
            suppressed=bool(member.email) and member.email in self.suppressed,
            erased=member.erased_at is not None,
            last_prompt_at=last,
            prompt_count=count,
        )

    def decide(self, item, now):
        """Decide one visit and count a scheduled prompt against its member."""
        line = self.lines.get(item.service_line_id, {})
        visit = rules.VisitFacts(
            visited_at=item.visited_at,
            scale=item.scale,
            score=item.score,
            sensitive=line.get("sensitive", False),
            referral_enabled=line.get("referral_enabled", True),
            **{flag: bool(item.flags.get(flag)) for flag in rules.FLAGS},
        )
        rule = self.rule_for(item.service_line_id)
        decision = rules.decide(
            visit, self.member_facts(item.member_id), rule, now, self.timezone
        )
        if decision.prompt:
            last, count = self.history.get(item.member_id, (None, 0))
            latest = max(filter(None, (last, decision.send_at)))
            self.history[item.member_id] = (latest, count + 1)
        return decision, rule


def _members(member_ids):
    query = Member.select(
        Member.id, Member.email, Member.prompts_opt_out, Member.erased_at
    ).where(Member.id.in_(bulk.among(member_ids)))
    if not is_sqlite():
        # Two batches for one member must not both pass the cooldown check.
        query = query.order_by(Member.id).for_update()
    return {member.id: member for member in query.namedtuples()}


def _suppressed(emails):
    emails = [e for e in emails if e]
    if not emails:
        return set()
    query = Suppression.select(Suppression.email).where(
        Suppression.email.in_(bulk.among(emails))
    )
    return {row.email for row in query}


def _history(member_ids):
    """Return {member id: (latest prompt time, number of prompts)}."""
    when = fn.MAX(fn.COALESCE(Prompt.sent_at, Prompt.scheduled_for))
    query = (
        Prompt.select(Prompt.member, when.alias("latest"), fn.COUNT(Prompt.id))
        .where(Prompt.member.in_(bulk.among(member_ids)))
        .where(Prompt.status.in_(COUNTED))
        .group_by(Prompt.member)
        .tuples()
    )
    return {
        member_id: (_as_datetime(latest), count) for member_id, latest, count in query
    }


def _as_datetime(value):
    # An aggregate comes back from SQLite as text, not through the field.
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def decide_many(items, now=None):
    """Decide and store a prompt for every pending visit; return what was stored."""
    outcome = Outcome()
    if not items:
        return outcome
    now = now or utcnow()
    context = Context(item.member_id for item in items)
    open_alerts = _open_alerts([item.visit_id for item in items])
    alerts = []
    for item in items:
        at = item.decided_at or now
        decision, rule = context.decide(item, at)
        outcome.prompts.append(_row(item, decision, context.snapshot(rule), at))
        if decision.recovery_alert and item.visit_id not in open_alerts:
            alerts.append(
                {"visit": item.visit_id, "member": item.member_id, "created_at": at}
            )
            open_alerts.add(item.visit_id)
    bulk.insert(Prompt, outcome.prompts)
    bulk.insert(RecoveryAlert, alerts)
    outcome.alerts = len(alerts)
    return outcome


def _row(item, decision, snapshot, at):
    snapshot = {**snapshot, "scale": item.scale, "score": item.score}
    return {
        "visit": item.visit_id,
        "member": item.member_id,
        "status": decision.status,
        "reason_code": decision.reason,
        "reason_detail": ",".join(decision.reasons),
        "rule": snapshot,
        "decided_at": at,
        "scheduled_for": decision.send_at,
    }


def _open_alerts(visit_ids):
    query = RecoveryAlert.select(RecoveryAlert.visit).where(
        RecoveryAlert.visit.in_(bulk.among(visit_ids)),
        RecoveryAlert.resolved_at.is_null(),
    )
    return {row.visit_id for row in query}
