"""Storing a sign-up: who gets the credit, which flags it carries, who is told.

Credit goes, in order, to the code given (with the channel of this browser's
click on it, "link" when it came in the page address, "typed" when a person
typed it), else to this browser's latest click within the attribution window
(the first-party visitor cookie). The how-heard answer is stored either way.
"""

import logging
from dataclasses import dataclass

from peewee import fn

from portal import audit, events
from portal.db import utcnow, write_transaction
from portal.models import Click, Member, ReferralLink, SignUp
from portal.referrals import clicks
from portal.referrals.forms import UTM_FIELDS

log = logging.getLogger("portal")

CONSENT_VERSION = "2026-01"


@dataclass
class Credit:
    link: ReferralLink | None = None
    channel: str | None = None
    method: str = "none"
    click: Click | None = None


def credit_for(resolved, visitor, window):
    """Decide which link, channel and method a sign-up is credited through."""
    data = resolved.data
    if resolved.link is not None:
        click = clicks.latest_click(visitor, window, resolved.link.id)
        if click is not None:
            return Credit(resolved.link, click.channel, "click", click)
        if data.code_source == "address":
            return Credit(resolved.link, "link", "code")
        return Credit(resolved.link, "typed", "typed")
    click = clicks.latest_click(visitor, window)
    if click is not None:
        link = ReferralLink.get_or_none(
            ReferralLink.id == click.link_id, ReferralLink.revoked_at.is_null()
        )
        if link is not None:
            return Credit(link, click.channel, "cookie", click)
    return Credit()


def _contact_matches(email, phone):
    clauses = []
    if email:
        clauses.append(fn.LOWER(Member.email) == email.lower())
    if phone:
        clauses.append(Member.phone == phone)
    if not clauses:
        return []
    where = clauses[0] if len(clauses) == 1 else (clauses[0] | clauses[1])
    return list(Member.select().where(where, Member.erased_at.is_null()))


def flags_for(data, ambassador):
    """Return (self_referral, existing_patient) for a sign-up's contact details."""
    known = _contact_matches(data.email, data.phone)
    existing = bool(known)
    if ambassador is None:
        return False, existing
    same_person = (data.email and (ambassador.email or "").lower() == data.email) or (
        data.phone and ambassador.phone == data.phone
    )
    same_household = bool(ambassador.household) and any(
        m.household == ambassador.household for m in known
    )
    return bool(same_person or same_household), existing


def create(resolved, *, origin, visitor=None, language="en", window=None):
    """Store a validated sign-up with its credit and flags; announce it."""
    data = resolved.data
    window = window or clicks.window_days()
    with write_transaction():
        credit = credit_for(resolved, visitor, window)
        ambassador = credit.link.member if credit.link else None
        self_referral, existing = flags_for(data, ambassador)
        signup = SignUp.create(
            first_name=data.first_name,
            last_name=data.last_name,
            email=data.email,
            phone=data.phone,
            language=data.language or language,
            service_line=resolved.service_line,
            location=resolved.location,
            how_heard=data.how_heard,
            how_heard_detail=data.how_heard_detail,
            code_entered=data.code or "",
            link=credit.link,
            ambassador=ambassador,
            channel=credit.channel,
            attribution_method=credit.method,
            click=credit.click,
            prompt_id=credit.click.prompt_id if credit.click else None,
            email_consent=data.email_consent,
            sms_consent=data.sms_consent,
            consent_version=CONSENT_VERSION,
            self_referral=self_referral,
            existing_patient=existing,
            origin=origin,
            status_changed_at=utcnow(),
            **{name: getattr(data, name) for name in UTM_FIELDS},
        )
        audit.record(
            "system",
            "signup.created",
            f"signup:{signup.id}",
            _audit_detail(signup, ambassador),
        )
        events.signup_created.send(signup)
    log.info(
        "signup stored id=%s origin=%s method=%s", signup.id, origin, credit.method
    )
    return signup


def _audit_detail(signup, ambassador):
    return {
        "origin": signup.origin,
        "ambassador": f"member:{ambassador.id}" if ambassador else None,
        "channel": signup.channel,
        "method": signup.attribution_method,
        "self_referral": signup.self_referral,
        "existing_patient": signup.existing_patient,
    }
