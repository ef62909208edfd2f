"""The built-in one-question survey for visits that arrive without a signal.

When the practice turns it on, a visit without a signal gets a survey some
hours later: "How likely are you to recommend us?" with eleven one-tap links.
The answer is a signal like any other. Nothing of value is tied to the score
and no review is asked for: a promoter may see the share card (if the prompt
rules allow it), a passive is thanked, a detractor is offered a call back.
"""

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from portal import events
from portal.db import utcnow, write_transaction
from portal.models import (
    Member,
    Prompt,
    RecoveryAlert,
    ServiceLine,
    Suppression,
    Survey,
    Visit,
)
from portal.practice import get_settings
from portal.prompts import bulk, deciding, rules, tokens
from portal.web import external_url

FLAG_COLUMNS = (
    "flag_minor",
    "flag_adverse_event",
    "flag_deceased",
    "flag_open_complaint",
)


def schedule_for(visits, now):
    """Plan a survey for each new visit without a signal; return their times."""
    settings = get_settings()
    if not settings.survey_enabled or not visits:
        return []
    zone = ZoneInfo(settings.timezone)
    default = deciding.load_rules().get(None)
    delay = timedelta(hours=settings.survey_delay_hours)
    reachable = _reachable({row["member"] for _, row in visits})
    sensitive = {
        line.id
        for line in ServiceLine.select().where(ServiceLine.sensitive == True)  # noqa: E712
    }
    rows = []
    for visit_id, row in visits:
        if not _may_ask(row, reachable, sensitive, now):
            continue
        when = rules.send_time(max(row["visited_at"] + delay, now), default, zone)
        rows.append({"visit": visit_id, "scheduled_for": when})
    bulk.insert(Survey, rows)
    return [row["scheduled_for"] for row in rows]


def _may_ask(row, reachable, sensitive, now):
    # No survey after a sensitive or flagged visit, or about one long past.
    if any(row[column] for column in FLAG_COLUMNS):
        return False
    if row["service_line"] in sensitive:
        return False
    if now - row["visited_at"] > rules.MAX_VISIT_AGE:
        return False
    return row["member"] in reachable


def _reachable(member_ids):
    """Return the members a survey may be sent to: an address, not erased."""
    members = Member.select(Member.id, Member.email).where(
        Member.id.in_(bulk.among(member_ids)),
        Member.email.is_null(False),
        Member.erased_at.is_null(),
    )
    emails = dict(members.tuples())
    blocked = {
        row.email
        for row in Suppression.select(Suppression.email).where(
            Suppression.email.in_(bulk.among(emails.values()))
        )
    }
    return {member_id for member_id, email in emails.items() if email not in blocked}


def score_links(survey_id, now=None):
    """Return the eleven (score, address) pairs for one survey email."""
    nonce = tokens.new_survey_nonce(survey_id, now)
    return [
        (
            score,
            external_url(
                "prompts.survey_answer", token=tokens.survey_token(nonce, score)
            ),
        )
        for score in tokens.SCORES
    ]


@dataclass
class Answer:
    """What the answer page shows: share, thanks or sorry."""

    outcome: str
    visit: Visit
    member: Member
    prompt: Prompt | None = None
    alert: RecoveryAlert | None = None


def answer(token, now=None):
    """Record a tapped score once; raise tokens.TokenError when the link is spent."""
    from portal.prompts import signals

    now = now or utcnow()
    nonce, score = tokens.read_survey_token(token)
    with write_transaction():
        row = tokens.claim(nonce, now)
        survey = Survey.get_or_none(Survey.id == row.subject_id)
        if survey is None or row.purpose != "survey":
            raise tokens.TokenError("invalid")
        Survey.update(answered_at=now, score=score).where(
            Survey.id == survey.id
        ).execute()
        visit = Visit.get_by_id(survey.visit_id)
        prompt, _ = signals.record_survey_answer(visit, score, now)
        return _outcome(visit, score, prompt, now)


def _outcome(visit, score, prompt, now):
    member = Member.get_by_id(visit.member_id)
    if rules.is_detractor("nps", score):
        alert = (
            RecoveryAlert.select()
            .where(RecoveryAlert.visit == visit.id, RecoveryAlert.resolved_at.is_null())
            .first()
        )
        return Answer("sorry", visit, member, alert=alert)
    if prompt is not None and prompt.status == "scheduled":
        return Answer("share", visit, member, prompt=show_now(prompt, now))
    return Answer("thanks", visit, member)


def show_now(prompt, now):
    """Deliver a scheduled prompt on the page the member is looking at."""
    changed = (
        Prompt.update(
            status="sent",
            sent_at=now,
            opened_at=now,
            scheduled_for=now,
            reason_detail=rules.ON_SURVEY_PAGE,
        )
        .where(Prompt.id == prompt.id, Prompt.status == "scheduled")
        .execute()
    )
    if changed:
        prompt = Prompt.get_by_id(prompt.id)
        events.prompt_sent.send(prompt)
    return prompt


def ask_to_be_contacted(alert_id):
    """Mark a recovery alert as wanting a call back; return the alert.

    The first time, managers are told again (see portal.prompts.recovery).
    """
    RecoveryAlert.update(wants_contact=True, notified_at=None).where(
        RecoveryAlert.id == alert_id,
        RecoveryAlert.wants_contact == False,  # noqa: E712
    ).execute()
    return RecoveryAlert.get_or_none(RecoveryAlert.id == alert_id)
