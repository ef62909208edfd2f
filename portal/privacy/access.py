"""What the portal holds about one member: exported on request, erased on request."""

import secrets

from portal import audit
from portal.db import database, utcnow
from portal.models import (
    Click,
    Consent,
    Invitation,
    Member,
    OneTimeToken,
    OutboxMessage,
    Prompt,
    Recognition,
    ReferralLink,
    SatisfactionSignal,
    SignUp,
    Visit,
)

MEMBER_FIELDS = (
    "external_id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "preferred_language",
    "payer_category",
    "us_state",
    "household",
    "membership_status",
    "membership_started_on",
    "named_to_friends",
    "prompts_opt_out",
    "email_consent_at",
    "sms_consent_at",
    "recognition_authorized_at",
    "consent_version",
    "created_at",
)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _rows(query, fields):
    return [{f: _plain(getattr(row, f)) for f in fields} for row in query]


def export(member, actor):
    """Return everything stored about the member as one JSON-ready document.

    People the member referred or invited are other people: their sign-ups
    appear as counts, never with their names or addresses.
    """
    links = list(ReferralLink.select().where(ReferralLink.member == member))
    visits = Visit.select().where(Visit.member == member).order_by(Visit.visited_at)
    document = {
        "member": {f: _plain(getattr(member, f)) for f in MEMBER_FIELDS},
        "plan": member.plan.name if member.plan_id else None,
        "consents": _rows(
            Consent.select().where(Consent.member == member).order_by(Consent.id),
            ("kind", "granted", "version", "source", "recorded_at"),
        ),
        "referral_links": [
            {
                "code": link.code,
                "created_at": _plain(link.created_at),
                "revoked_at": _plain(link.revoked_at),
                "clicks": Click.select().where(Click.link == link).count(),
            }
            for link in links
        ],
        "referred_signups": SignUp.select().where(SignUp.ambassador == member).count(),
        "visits": _rows(
            visits,
            ("external_id", "visited_at", "amount_cents", "source"),
        ),
        "satisfaction_signals": _rows(
            SatisfactionSignal.select()
            .join(Visit)
            .where(Visit.member == member)
            .order_by(SatisfactionSignal.id),
            ("scale", "score", "recorded_at", "source"),
        ),
        "prompts": _rows(
            Prompt.select().where(Prompt.member == member).order_by(Prompt.id),
            ("status", "reason_code", "decided_at", "sent_at"),
        ),
        "recognitions": _rows(
            Recognition.select().where(Recognition.member == member),
            ("trigger", "value_cents", "status", "proposed_at", "decided_at"),
        ),
        "invitations_sent": _rows(
            Invitation.select().where(Invitation.inviter == member),
            ("first_name", "email", "relationship", "note", "status", "created_at"),
        ),
        "emails": _rows(
            OutboxMessage.select().where(OutboxMessage.to_email == member.email),
            ("kind", "subject", "status", "created_at", "sent_at"),
        )
        if member.email
        else [],
    }
    audit.record(actor, "member.exported", f"member:{member.id}")
    return document


def erase(member, actor):
    """Pseudonymise the member: contact details and names go, counts stay.

    The audit log never held names, only ids, so it stays intact and still
    verifies; the erasure event records the pseudonym the member now carries.
    Email already sent keeps its row with the body removed.
    """
    pseudonym = f"erased-{secrets.token_hex(6)}"
    with database.atomic():
        if member.email:
            OutboxMessage.update(
                to_email=pseudonym, text_body="", html_body="", headers={}
            ).where(OutboxMessage.to_email == member.email).execute()
        Member.update(
            email=None,
            phone=None,
            external_id=None,
            first_name="",
            last_name="",
            household=None,
            pseudonym=pseudonym,
            erased_at=utcnow(),
        ).where(Member.id == member.id).execute()
        ReferralLink.update(revoked_at=utcnow()).where(
            ReferralLink.member == member, ReferralLink.revoked_at.is_null()
        ).execute()
        Invitation.update(first_name="", note="").where(
            Invitation.inviter == member
        ).execute()
        OneTimeToken.delete().where(
            OneTimeToken.subject_kind == "member", OneTimeToken.subject_id == member.id
        ).execute()
        audit.record(
            actor, "member.erased", f"member:{member.id}", {"pseudonym": pseudonym}
        )
    return pseudonym
