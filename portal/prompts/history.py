"""A year of prompt history for the demo practice, decided by the real rules.

Each demo visit with a signal is decided as of the moment its signal came
in, in order, so cooldowns and lifetime limits play out as they would have.
Prompts whose time has passed are marked sent (no email is written for the
past), some were opened and shared, and the sign-ups that came through the
email channel soon after a prompt are tied to it. Older recovery alerts were
handled; the last few are left open for staff to see.
"""

import random
from datetime import timedelta

from portal.db import utcnow
from portal.models import (
    Prompt,
    RecoveryAlert,
    SatisfactionSignal,
    SignUp,
    StaffUser,
    Visit,
)
from portal.prompts import deciding, rules

OPEN_ALERT_DAYS = 21
PROMPT_CREDIT_DAYS = 30


def replay(now=None, seed=11):
    """Decide every undecided visit with a signal; return the decisions stored."""
    rng = random.Random(seed)
    now = now or utcnow()
    decided = Prompt.select(Prompt.visit)
    query = (
        SatisfactionSignal.select(SatisfactionSignal, Visit)
        .join(Visit)
        .where(Visit.id.not_in(decided))
        .order_by(SatisfactionSignal.recorded_at, SatisfactionSignal.id)
    )
    items, seen = [], set()
    for signal in query:
        if signal.visit_id in seen:
            continue
        seen.add(signal.visit_id)
        items.append(_pending(signal))
    outcome = deciding.decide_many(items, now)
    _send_the_past(rng, now)
    _handle_old_alerts(now)
    _credit_signups()
    return outcome


def _pending(signal):
    visit = signal.visit
    return deciding.Pending(
        visit_id=visit.id,
        member_id=visit.member_id,
        service_line_id=visit.service_line_id,
        visited_at=visit.visited_at,
        scale=signal.scale,
        score=signal.score,
        flags={flag: getattr(visit, f"flag_{flag}") for flag in rules.FLAGS},
        decided_at=signal.recorded_at,
    )


def _send_the_past(rng, now):
    due = Prompt.select(Prompt.id, Prompt.scheduled_for).where(
        Prompt.status == "scheduled", Prompt.scheduled_for <= now
    )
    for prompt in due:
        sent = prompt.scheduled_for
        opened = rng.random() < 0.55
        shared = opened and rng.random() < 0.45
        Prompt.update(
            status="sent",
            sent_at=sent,
            opened_at=sent + timedelta(hours=rng.randint(1, 30)) if opened else None,
            shared_at=sent + timedelta(hours=rng.randint(2, 48)) if shared else None,
        ).where(Prompt.id == prompt.id).execute()


def _handle_old_alerts(now):
    manager = StaffUser.select().where(StaffUser.role == "manager").first()
    old = RecoveryAlert.select().where(
        RecoveryAlert.created_at < now - timedelta(days=OPEN_ALERT_DAYS),
        RecoveryAlert.resolved_at.is_null(),
    )
    for alert in old:
        RecoveryAlert.update(
            resolved_at=alert.created_at + timedelta(days=2),
            resolved_by=manager,
            note="Called the patient; the care team followed up.",
        ).where(RecoveryAlert.id == alert.id).execute()


def _credit_signups():
    """Tie email-channel sign-ups to the ambassador's prompt just before them."""
    sent = {}
    for prompt in Prompt.select(Prompt.id, Prompt.member, Prompt.sent_at).where(
        Prompt.status == "sent"
    ):
        sent.setdefault(prompt.member_id, []).append(prompt)
    signups = SignUp.select(SignUp.id, SignUp.ambassador, SignUp.created_at).where(
        SignUp.channel == "email", SignUp.ambassador.is_null(False)
    )
    for signup in signups:
        earlier = [
            p
            for p in sent.get(signup.ambassador_id, [])
            if timedelta(0)
            <= signup.created_at - p.sent_at
            <= timedelta(days=PROMPT_CREDIT_DAYS)
        ]
        if earlier:
            latest = max(earlier, key=lambda p: p.sent_at)
            SignUp.update(prompt_id=str(latest.id)).where(
                SignUp.id == signup.id
            ).execute()
