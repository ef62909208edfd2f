"""A demo practice with a year of history, the same every time for a seed."""

import random
from datetime import timedelta

from portal import audit
from portal.attribution.feed import backfill as backfill_attribution
from portal.db import database, utcnow
from portal.models import (
    Click,
    Location,
    Member,
    MembershipPlan,
    PracticeSettings,
    PromptRule,
    ReferralLink,
    SatisfactionSignal,
    ServiceLine,
    SignUp,
    StaffUser,
    Visit,
)
from portal.models.referrals import FUNNEL_STEPS, HOW_HEARD
from portal.prompts import history as prompt_history
from portal.recognition import demo as recognition_demo
from portal.referrals.codes import new_code

MARKER_EMAIL = "admin@maplegrove.example"

PRACTICE = {
    "name": "Maple Grove Direct Care",
    "postal_address": "120 Harbor Street, Suite 200, Raleigh, NC 27601",
    "timezone": "America/New_York",
    "us_state": "NC",
    "practice_kind": "direct_primary_care",
    "membership_enabled": True,
    "help_phone": "+1 919 555 0142",
    "help_email": "hello@maplegrove.example",
    "sender_name": "Maple Grove Direct Care",
    "reply_to": "hello@maplegrove.example",
}
LOCATIONS = [("Downtown", "downtown"), ("North Hills", "north-hills")]
SERVICE_LINES = [
    ("Primary care", "primary-care", False),
    ("Pediatrics", "pediatrics", False),
    ("Women's health", "womens-health", False),
    ("Sports medicine", "sports-medicine", False),
    ("Behavioral health", "behavioral-health", True),
]
PLANS = [
    ("Individual", 8900, "Unlimited visits, same-day messaging, at-cost labs"),
    ("Family", 19900, "Everything in Individual for up to four people"),
]
STAFF = [
    (MARKER_EMAIL, "Avery Admin", "admin", False),
    ("manager@maplegrove.example", "Morgan Manager", "manager", False),
    ("frontdesk@maplegrove.example", "Sam Front Desk", "staff", False),
    ("compliance@maplegrove.example", "Casey Compliance", "compliance", False),
    ("dr.lee@maplegrove.example", "Dr. Jordan Lee", "staff", True),
]
FIRST = "Ana Ben Carla Dev Elena Femi Grace Hugo Ines Jamal Kira Luis Maya Noah Olga "
FIRST += "Priya Quinn Rosa Sara Tomas Uma Victor Wen Ximena Yusuf Zoe"
LAST = "Alvarez Brooks Chen Diaz Evans Fischer Garcia Hughes Ibarra Jones Khan Lopez "
LAST += "Morales Nguyen Ortiz Patel Reyes Silva Turner Usman Vega Walker Young"
MEMBERS = 240
DEMO_MEMBER_EMAIL = "ana.alvarez.1@example.com"


def is_loaded():
    return StaffUser.select().where(StaffUser.email == MARKER_EMAIL).exists()


def load(seed=7, echo=print):
    """Create the whole demo practice in one transaction."""
    rng = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    with database.atomic():
        PracticeSettings.delete().where(PracticeSettings.id == 1).execute()
        PracticeSettings.create(id=1, **PRACTICE)
        locations = [Location.create(name=n, slug=s) for n, s in LOCATIONS]
        lines = [
            ServiceLine.create(name=n, slug=s, sensitive=sens, position=i)
            for i, (n, s, sens) in enumerate(SERVICE_LINES)
        ]
        plans = [
            MembershipPlan.create(name=n, monthly_fee_cents=f, includes=inc)
            for n, f, inc in PLANS
        ]
        PromptRule.get_or_create(service_line=None)
        for email, name, role, clinician in STAFF:
            StaffUser.create(email=email, name=name, role=role, is_clinician=clinician)
        members = _members(rng, now, plans)
        links = _links(members)
        visits = _visits(rng, now, members, lines, locations)
        clicks = _clicks(rng, now, links)
        signups = _signups(rng, now, links, lines, locations)
        _new_patients(rng, now, lines, locations)
        prompt_history.replay(now)  # decisions, sends and alerts as if live
        recognition_demo.load(echo=echo)
        backfill_attribution()  # insert_many sent no signals
        audit.record("cli", "demo.loaded", "", {"seed": seed})
    echo(
        f"demo practice loaded: {len(members)} members, {visits} visits, "
        f"{clicks} clicks, {signups} sign-ups, {len(STAFF)} staff"
    )


def _members(rng, now, plans):
    first, last = FIRST.split(), LAST.split()
    rows = []
    for n in range(1, MEMBERS + 1):
        given, family = first[(n - 1) % len(first)], last[(n - 1) % len(last)]
        on_plan = rng.random() < 0.8
        rows.append(
            {
                "email": f"{given.lower()}.{family.lower()}.{n}@example.com",
                "first_name": given,
                "last_name": family,
                "phone": f"+1919555{n:04d}",
                "external_id": f"EHR-{10000 + n}",
                "preferred_language": "es" if rng.random() < 0.2 else "en",
                "payer_category": rng.choice(
                    ["membership", "commercial", "commercial", "medicare", "medicaid"]
                ),
                "us_state": "NC",
                "household": f"H{(n + 1) // 2:04d}" if n % 5 == 0 else None,
                "plan": rng.choice(plans).id if on_plan else None,
                "membership_status": "active" if on_plan else None,
                "membership_started_on": (now - timedelta(days=rng.randint(40, 900)))
                if on_plan
                else None,
                "email_consent_at": now - timedelta(days=rng.randint(30, 400)),
                "consent_version": "2026-01",
                "created_at": now - timedelta(days=rng.randint(60, 900)),
            }
        )
    Member.insert_many(rows).execute()
    return list(Member.select().order_by(Member.id))


def _links(members):
    ReferralLink.insert_many(
        [{"member": m.id, "code": new_code()} for m in members]
    ).execute()
    return list(ReferralLink.select().order_by(ReferralLink.id))


def _visits(rng, now, members, lines, locations):
    visits, signals = [], []
    for n in range(1, 1501):
        member = rng.choice(members)
        when = now - timedelta(minutes=rng.randint(60 * 24, 365 * 24 * 60))
        visits.append(
            {
                "external_id": f"V-{n:06d}",
                "member": member.id,
                "service_line": rng.choice(lines).id,
                "location": rng.choice(locations).id,
                "visited_at": when,
                "amount_cents": rng.choice([0, 0, 7500, 12000, 18000, 25000]),
                "source": "demo",
            }
        )
    Visit.insert_many(visits).execute()
    for visit in Visit.select(Visit.id, Visit.visited_at):
        if rng.random() < 0.7:
            score = rng.choices(range(11), weights=[1, 1, 1, 1, 1, 2, 3, 6, 12, 20, 30])
            signals.append(
                {
                    "visit": visit.id,
                    "scale": "nps",
                    "score": score[0],
                    "recorded_at": visit.visited_at + timedelta(hours=3),
                    "source": "demo",
                }
            )
    SatisfactionSignal.insert_many(signals).execute()
    return len(visits)


def _clicks(rng, now, links):
    active = rng.sample(links, k=len(links) // 3)
    rows = []
    for _ in range(3000):
        link = rng.choice(active)
        rows.append(
            {
                "link": link.id,
                "channel": rng.choice(["link", "link", "qr", "email", "print"]),
                "clicked_at": now - timedelta(minutes=rng.randint(10, 365 * 24 * 60)),
                "browser_family": rng.choice(
                    ["Mobile Safari", "Chrome Mobile", "Chrome"]
                ),
            }
        )
    for start in range(0, len(rows), 500):
        Click.insert_many(rows[start : start + 500]).execute()
    return len(rows)


def _signups(rng, now, links, lines, locations):
    first, last = FIRST.split(), LAST.split()
    statuses = ["new", "contacted", "scheduled", "seen", "became_patient", "closed"]
    rows = []
    for n in range(1, 301):
        referred = rng.random() < 0.55
        link = rng.choice(links) if referred else None
        created = now - timedelta(minutes=rng.randint(30, 365 * 24 * 60))
        status = rng.choices(statuses, weights=[3, 3, 3, 2, 5, 2])[0]
        rows.append(
            {
                "first_name": rng.choice(first),
                "last_name": rng.choice(last),
                "email": f"friend.{n}@example.net",
                "language": "es" if rng.random() < 0.2 else "en",
                "service_line": rng.choice(lines[:4]).id,
                "location": rng.choice(locations).id,
                "how_heard": "patient_referral"
                if referred
                else rng.choice(HOW_HEARD[1:]),
                "link": link.id if link else None,
                "ambassador": link.member_id if link else None,
                "channel": rng.choice(["link", "qr", "email", "print"])
                if link
                else None,
                "attribution_method": "code" if link else "none",
                "email_consent": True,
                "sms_consent": rng.random() < 0.5,
                "consent_version": "2026-01",
                "origin": "portal",
                "status": status,
                # Closed sign-ups got somewhere first: some were even seen.
                "reached_status": FUNNEL_STEPS[n % 4] if status == "closed" else status,
                "status_changed_at": created + timedelta(days=rng.randint(0, 10)),
                "became_patient_at": created + timedelta(days=rng.randint(3, 20))
                if status == "became_patient"
                else None,
                "created_at": created,
            }
        )
    SignUp.insert_many(rows).execute()
    return len(rows)


def _new_patients(rng, now, lines, locations):
    """Make each sign-up that became a patient a member with paid visits.

    The monthly report's revenue by source follows sign-ups to the members
    they became and sums those members' visit amounts.
    """
    visits = []
    became = SignUp.select().where(SignUp.status == "became_patient")
    for signup in became.order_by(SignUp.id):
        member = Member.create(
            email=signup.email,
            first_name=signup.first_name,
            last_name=signup.last_name,
            preferred_language=signup.language,
            payer_category=rng.choice(["commercial", "membership", "medicare"]),
            us_state="NC",
            created_at=signup.became_patient_at,
        )
        SignUp.update(member=member).where(SignUp.id == signup.id).execute()
        first = signup.became_patient_at
        for n in range(rng.randint(1, 4)):
            when = first + timedelta(days=14 * n + rng.randint(0, 10))
            if when >= now:
                break
            visits.append(
                {
                    "external_id": f"P-{signup.id:05d}-{n}",
                    "member": member.id,
                    "service_line": signup.service_line_id or rng.choice(lines).id,
                    "location": signup.location_id or rng.choice(locations).id,
                    "visited_at": when,
                    "amount_cents": rng.choice([7500, 12000, 18000, 25000, 32000]),
                    "source": "demo",
                }
            )
    Visit.insert_many(visits).execute()
