"""Satisfaction signals that arrive after their visit: webhooks and the survey.

The first signal of a visit decides its prompt. A later one never creates a
second prompt; it can only call off a prompt that has not gone out yet when
the patient turns out not to be a promoter, and a detractor score always
reaches service recovery.
"""

from zoneinfo import ZoneInfo

from portal.db import utcnow, write_transaction
from portal.models import Prompt, RecoveryAlert, SatisfactionSignal, Survey, Visit
from portal.practice import get_settings
from portal.prompts import bulk, deciding, rules
from portal.prompts.intake import (
    BatchReport,
    SignalItem,
    announce,
    problem,
    signal_row,
    validate,
)

VISIT_COLUMNS = (
    Visit.id,
    Visit.external_id,
    Visit.member,
    Visit.service_line,
    Visit.visited_at,
    Visit.flag_minor,
    Visit.flag_adverse_event,
    Visit.flag_deceased,
    Visit.flag_open_complaint,
)


def ingest_signals(raw_items, source="api"):
    """Store a batch of signals for known visits and act on each."""
    report = BatchReport(received=len(raw_items))
    items = validate(SignalItem, raw_items, report)
    zone = ZoneInfo(get_settings().timezone)
    now = utcnow()
    wanted = {item.visit_external_id for _, item in items}
    visits = {
        v.external_id: v
        for v in Visit.select(*VISIT_COLUMNS).where(
            Visit.external_id.in_(bulk.among(wanted))
        )
    }
    accepted = []
    for index, item in items:
        if item.visit_external_id not in visits:
            message = "no visit has this external id"
            report.reject(
                index, item.external_id, problem("visit_external_id", message)
            )
            continue
        accepted.append((visits[item.visit_external_id], item))
    if accepted:
        with write_transaction():
            rows = [signal_row(v.id, item, source, zone, now) for v, item in accepted]
            stored = bulk.insert(SatisfactionSignal, rows, ("id", "external_id"))
            fresh = {external_id for _, external_id in stored}
            report.created = len(fresh)
            report.unchanged = len(rows) - len(fresh)
            new = [(v, item) for v, item in accepted if item.external_id in fresh]
            announce([], [signal_id for signal_id, _ in stored])
            _act(new, now, report)
    return report


def record_survey_answer(visit, score, now=None):
    """Store the built-in survey's score as a signal; return the visit's prompt."""
    now = now or utcnow()
    report = BatchReport(received=1)
    with write_transaction():
        signal = SatisfactionSignal.create(
            visit=visit.id, scale="nps", score=score, recorded_at=now, source="survey"
        )
        announce([], [signal.id])
        item = SignalItem(
            visit_external_id=visit.external_id,
            external_id=f"survey:{visit.id}",
            scale="nps",
            score=score,
        )
        _act([(visit, item)], now, report)
    return Prompt.get_or_none(Prompt.visit == visit.id), report


def _act(signals, now, report):
    """Decide first signals in bulk; let later ones call off what they must."""
    if not signals:
        return
    visit_ids = [visit.id for visit, _ in signals]
    prompts = {
        p.visit_id: p
        for p in Prompt.select().where(Prompt.visit.in_(bulk.among(visit_ids)))
    }
    first, later, seen = [], [], set()
    for visit, item in signals:
        if visit.id in prompts or visit.id in seen:
            later.append((visit, item))
        else:
            seen.add(visit.id)
            first.append(_pending(visit, item))
    # A survey no longer needs sending once any signal is in.
    Survey.delete().where(
        Survey.visit.in_(bulk.among(visit_ids)), Survey.sent_at.is_null()
    ).execute()
    outcome = deciding.decide_many(first, now)
    report.prompts_scheduled += len(outcome.scheduled)
    report.prompts_suppressed += len(outcome.suppressed)
    report.alerts += outcome.alerts
    report.due += [p["scheduled_for"] for p in outcome.scheduled]
    for visit, item in later:
        report.alerts += _reconsider(visit, item, now)


def _pending(visit, item):
    return deciding.Pending(
        visit_id=visit.id,
        member_id=visit.member_id,
        service_line_id=visit.service_line_id,
        visited_at=visit.visited_at,
        scale=item.scale,
        score=item.score,
        flags={flag: getattr(visit, f"flag_{flag}") for flag in rules.FLAGS},
    )


def _reconsider(visit, item, now):
    """Apply a later signal to a decided visit; return 1 if it raised an alert."""
    prompt = Prompt.get(Prompt.visit == visit.id)
    rule = rules.RuleValues(
        **{
            key: value
            for key, value in prompt.rule.items()
            if key in rules.RuleValues.__dataclass_fields__
        }
    )
    kind = rules.classify(item.scale, item.score, rule)
    if prompt.status == "scheduled" and kind != "promoter":
        code = "detractor" if kind == "detractor" else "below_threshold"
        Prompt.update(
            status="cancelled",
            reason_code=code,
            reason_detail=f"{code},{rules.LATER_SIGNAL}",
            scheduled_for=None,
        ).where(Prompt.id == prompt.id, Prompt.status == "scheduled").execute()
    if kind != "detractor":
        return 0
    already = RecoveryAlert.select().where(
        RecoveryAlert.visit == visit.id, RecoveryAlert.resolved_at.is_null()
    )
    if already.exists():
        return 0
    RecoveryAlert.create(visit=visit.id, member=visit.member_id, created_at=now)
    return 1
