"""Sending what has come due: prompt emails and survey emails.

Each item is claimed in its own transaction, so two sweeps running at once
never send one twice, and the member is checked again at sending time: an
opt-out, an unsubscribe or an erasure since the decision calls it off.
"""

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from portal import events
from portal.db import is_sqlite, utcnow, write_transaction
from portal.mail import send_email
from portal.models import Member, Prompt, SatisfactionSignal, Suppression, Survey, Visit
from portal.practice import get_settings
from portal.prompts import deciding, rules, sharing, surveys

log = logging.getLogger("portal")
BATCH = 500


@dataclass
class SweepReport:
    sent: int = 0
    cancelled: int = 0
    postponed: int = 0
    surveys_sent: int = 0
    surveys_dropped: int = 0

    def __str__(self):
        return (
            f"prompts: {self.sent} sent, {self.cancelled} called off, "
            f"{self.postponed} moved out of quiet hours; surveys: "
            f"{self.surveys_sent} sent, {self.surveys_dropped} not needed"
        )


def run_due(now=None, limit=BATCH):
    """Send every prompt and survey that is due; return what happened."""
    now = now or utcnow()
    report = SweepReport()
    due = (
        Prompt.select(Prompt.id)
        .where(Prompt.status == "scheduled", Prompt.scheduled_for <= now)
        .order_by(Prompt.scheduled_for, Prompt.id)
        .limit(limit)
    )
    for prompt_id in [row.id for row in due]:
        outcome = _safely(send_prompt, prompt_id, now)
        if outcome == "sent":
            report.sent += 1
        elif outcome == "cancelled":
            report.cancelled += 1
        elif outcome == "postponed":
            report.postponed += 1
    waiting = (
        Survey.select(Survey.id)
        .where(Survey.sent_at.is_null(), Survey.scheduled_for <= now)
        .order_by(Survey.scheduled_for, Survey.id)
        .limit(limit)
    )
    for survey_id in [row.id for row in waiting]:
        outcome = _safely(send_survey, survey_id, now)
        if outcome == "sent":
            report.surveys_sent += 1
        elif outcome == "dropped":
            report.surveys_dropped += 1
    return report


def _safely(send, item_id, now):
    try:
        return send(item_id, now)
    except Exception:
        # One bad row must not hold up the rest; the next sweep tries it again.
        log.exception("%s failed id=%s", send.__name__, item_id)
        return None


def blocked(member):
    """Return the reason code that stops any email to a member now, or None."""
    if member.erased_at is not None:
        return "member_erased"
    if not member.email:
        return "no_email"
    if Suppression.select().where(Suppression.email == member.email).exists():
        return "member_suppressed"
    return None


def _claim(model, item_id, *conditions):
    query = model.select().where(model.id == item_id, *conditions)
    if not is_sqlite():
        query = query.for_update()
    return query.first()


def _quiet_until(rule, timezone, now):
    """Return when a message due now may go, given the rule's quiet hours."""
    return rules.send_time(now, rule, ZoneInfo(timezone))


def send_prompt(prompt_id, now=None):
    """Send one due prompt email; return sent, cancelled, postponed or None."""
    now = now or utcnow()
    with write_transaction():
        prompt = _claim(Prompt, prompt_id, Prompt.status == "scheduled")
        if prompt is None:
            return None
        member = Member.get_by_id(prompt.member_id)
        reason = blocked(member) or (
            "member_opted_out" if member.prompts_opt_out else None
        )
        if reason:
            Prompt.update(
                status="cancelled",
                reason_code=reason,
                reason_detail=f"{reason},{rules.AT_SEND}",
                scheduled_for=None,
            ).where(Prompt.id == prompt.id).execute()
            return "cancelled"
        rule = rules.RuleValues(
            quiet_start=prompt.rule.get("quiet_start", "21:00"),
            quiet_end=prompt.rule.get("quiet_end", "08:00"),
        )
        timezone = prompt.rule.get("timezone") or get_settings().timezone
        later = _quiet_until(rule, timezone, now)
        if later > now:
            Prompt.update(scheduled_for=later).where(Prompt.id == prompt.id).execute()
            return "postponed"
        send_email(
            member.email,
            "prompt",
            sharing.context(prompt, member),
            kind="prompt",
            marketing=True,
            language=member.preferred_language,
        )
        Prompt.update(status="sent", sent_at=now).where(
            Prompt.id == prompt.id
        ).execute()
        prompt.status, prompt.sent_at = "sent", now
        events.prompt_sent.send(prompt)
    log.info("prompt sent prompt=%s member=%s", prompt.id, member.id)
    return "sent"


def send_survey(survey_id, now=None):
    """Send one due survey email; return sent, dropped, postponed or None."""
    now = now or utcnow()
    with write_transaction():
        survey = _claim(Survey, survey_id, Survey.sent_at.is_null())
        if survey is None:
            return None
        visit = Visit.get_by_id(survey.visit_id)
        member = Member.get_by_id(visit.member_id)
        answered = SatisfactionSignal.select().where(
            SatisfactionSignal.visit == visit.id
        )
        if answered.exists() or blocked(member):
            Survey.delete().where(Survey.id == survey.id).execute()
            return "dropped"
        settings = get_settings()
        default = deciding.load_rules()[None]
        later = _quiet_until(default, settings.timezone, now)
        if later > now:
            Survey.update(scheduled_for=later).where(Survey.id == survey.id).execute()
            return "postponed"
        send_email(
            member.email,
            "survey",
            {
                "first_name": member.first_name,
                "links": surveys.score_links(survey.id, now),
                "visited_on": rules.to_local(
                    visit.visited_at, ZoneInfo(settings.timezone)
                ).date(),
            },
            kind="survey",
            marketing=False,
            language=member.preferred_language,
        )
        Survey.update(sent_at=now).where(Survey.id == survey.id).execute()
    log.info("survey sent survey=%s visit=%s", survey.id, visit.id)
    return "sent"
