"""Member-get-member: sending invitations, joining from them, counting retention."""

import secrets

from portal import audit, events
from portal.contacts import normalise_email
from portal.db import database, utcnow
from portal.invitations import rules
from portal.mail import send_email
from portal.models import Invitation, Member, MembershipPlan, SignUp, Suppression
from portal.practice import get_settings, practice_today, practice_zone
from portal.reports.period import Month
from portal.web import external_url

RELATIONSHIPS = ("family", "friend", "colleague")
CONSENT_VERSION = "2026-12"


class InvitationRefused(ValueError):
    """The invitation breaks a rule; problems holds (field, code, message)."""

    def __init__(self, problems):
        super().__init__("; ".join(p[2] for p in problems))
        self.problems = problems


def program_open():
    settings = get_settings()
    return settings.membership_enabled


def inviter_active(member):
    return member.plan_id is not None and member.membership_status == "active"


def facts_for(member, email, note):
    """Gather what the rules need to judge one invitation."""
    settings = get_settings()
    now = utcnow()
    zone = practice_zone().key
    month_start, _ = Month.containing(now, zone).bounds(zone)
    sent = (
        Invitation.select()
        .where(Invitation.inviter == member, Invitation.created_at >= month_start)
        .count()
    )
    last = (
        Invitation.select(Invitation.created_at)
        .where(Invitation.email == email)
        .order_by(Invitation.created_at.desc())
        .first()
    )
    return rules.InviteFacts(
        invitee_email=email,
        sent_this_month=sent,
        monthly_limit=settings.invitation_monthly_limit,
        days_since_last_to_address=(now - last.created_at).days if last else None,
        address_window_days=settings.invitation_address_days,
        suppressed=Suppression.select().where(Suppression.email == email).exists(),
        existing_member=Member.select().where(Member.email == email).exists(),
        inviter_is_member_of_program=program_open() and inviter_active(member),
        note=note,
    )


def invite(member, first_name, email, relationship, note, named):
    """Store and email one invitation, or raise InvitationRefused."""
    problems = []
    first_name = (first_name or "").strip()[:80]
    if not first_name:
        problems.append(("first_name", "required", "Enter their first name."))
    if relationship not in RELATIONSHIPS:
        problems.append(("relationship", "invalid", "Choose how you know them."))
    try:
        email = normalise_email((email or "").strip())
    except ValueError:
        problems.append(("email", "invalid", "Enter a valid email address."))
        raise InvitationRefused(problems) from None
    note = (note or "").strip()
    problems += rules.invitation_problems(facts_for(member, email, note))
    if problems:
        raise InvitationRefused(problems)
    with database.atomic():
        invitation = Invitation.create(
            inviter=member,
            token=secrets.token_urlsafe(16),
            first_name=first_name,
            email=email,
            relationship=relationship,
            note=note,
            inviter_named=bool(named),
            status="sent",
            sent_at=utcnow(),
        )
        _send(invitation, member)
        audit.record(
            f"member:{member.id}", "invitation.sent", f"invitation:{invitation.id}"
        )
    return invitation


def _send(invitation, member):
    settings = get_settings()
    send_email(
        invitation.email,
        "invitation",
        {
            "invitation": invitation,
            "inviter_first_name": member.first_name if invitation.inviter_named else "",
            "invite_url": external_url("invitations.page", token=invitation.token),
            "practice_name": settings.name,
        },
        kind="invitation",
        marketing=True,
        language=member.preferred_language,
    )


def open_invitation(token):
    """Return the invitation for a token, marking it opened the first time."""
    invitation = Invitation.get_or_none(Invitation.token == token)
    if invitation is None:
        return None
    if invitation.opened_at is None:
        Invitation.update(opened_at=utcnow(), status="opened").where(
            Invitation.id == invitation.id, Invitation.opened_at.is_null()
        ).execute()
        invitation = Invitation.get_by_id(invitation.id)
    return invitation


def active_plans():
    return list(
        MembershipPlan.select()
        .where(MembershipPlan.active == True)  # noqa: E712
        .order_by(MembershipPlan.monthly_fee_cents)
    )


def join(data, invitation=None, link=None):
    """Create the membership sign-up an invitation or a personal link led to.

    ``data`` is checked already (forms.check): names, email, phone, plan,
    household_addon, share_name, consents and language.
    """
    inviter = invitation.inviter if invitation else link.member
    addon = bool(data.get("household_addon"))
    existing = Member.select().where(Member.email == data["email"]).exists()
    with database.atomic():
        signup = SignUp.create(
            kind="household_addon" if addon else "membership",
            first_name=data["first_name"],
            last_name=data.get("last_name", ""),
            email=data["email"],
            phone=data.get("phone") or None,
            language=data.get("language", "en"),
            plan=data["plan"],
            how_heard="patient_referral",
            # A family add-on to the inviter's own household is not a referral.
            ambassador=None if addon else inviter,
            link=link,
            channel="invitation",
            attribution_method="invitation" if invitation else "code",
            invitation=invitation,
            email_consent=bool(data.get("email_consent")),
            sms_consent=bool(data.get("sms_consent")),
            consent_version=CONSENT_VERSION,
            share_name_with_inviter=bool(data.get("share_name")),
            self_referral=data["email"] == (inviter.email or ""),
            existing_patient=existing,
            origin="portal",
        )
        if invitation:
            Invitation.update(joined_at=utcnow(), status="joined").where(
                Invitation.id == invitation.id
            ).execute()
        events.signup_created.send(signup)
        if invitation and not addon:
            events.invitation_accepted.send(invitation, signup=signup)
    return signup


def enrol(signup):
    """Make the member a membership sign-up became, starting today."""
    if signup.kind not in ("membership", "household_addon") or signup.member_id:
        return None
    household = None
    if signup.kind == "household_addon" and signup.invitation_id:
        inviter = signup.invitation.inviter
        household = inviter.household or f"M{inviter.id}"
        if inviter.household is None:
            Member.update(household=household).where(Member.id == inviter.id).execute()
    member = Member.get_or_none(Member.email == signup.email)
    if member is None:
        member = Member.create(
            email=signup.email,
            phone=signup.phone,
            first_name=signup.first_name,
            last_name=signup.last_name,
            preferred_language=signup.language,
            payer_category="membership",
        )
    Member.update(
        plan=signup.plan_id,
        membership_status="active",
        membership_started_on=practice_today(),
        household=household or member.household,
    ).where(Member.id == member.id).execute()
    SignUp.update(member=member).where(SignUp.id == signup.id).execute()
    return member


def retention_sweep(today=None):
    """Mark referred members who stayed past the window; return how many."""
    today = today or practice_today()
    candidates = (
        SignUp.select(SignUp, Member, MembershipPlan)
        .join(Member, on=(SignUp.member == Member.id))
        .switch(SignUp)
        .join(MembershipPlan, on=(SignUp.plan == MembershipPlan.id))
        .where(
            SignUp.kind == "membership",
            SignUp.retained_at.is_null(),
            SignUp.ambassador.is_null(False),
        )
    )
    counted = 0
    for signup in candidates:
        member = signup.member
        window = signup.plan.cancellation_window_days
        if not rules.is_retained(
            member.membership_started_on, window, member.membership_status, today
        ):
            continue
        with database.atomic():
            updated = (
                SignUp.update(retained_at=utcnow())
                .where(SignUp.id == signup.id, SignUp.retained_at.is_null())
                .execute()
            )
            if updated:
                signup.retained_at = utcnow()
                events.membership_retained.send(signup)
                audit.record("system", "membership.retained", f"signup:{signup.id}")
                counted += 1
    return counted


def invitations_of(member):
    return list(
        Invitation.select()
        .where(Invitation.inviter == member)
        .order_by(Invitation.created_at.desc())
    )


def outcome(invitation):
    """Return (who joined, if they agreed the inviter may know; counted or not)."""
    signup = (
        SignUp.select(
            SignUp.first_name, SignUp.share_name_with_inviter, SignUp.retained_at
        )
        .where(SignUp.invitation == invitation)
        .order_by(SignUp.id)
        .first()
    )
    if signup is None:
        return None, False
    name = signup.first_name if signup.share_name_with_inviter else None
    return name, signup.retained_at is not None
