"""Referral links, their clicks, invitations and the sign-ups they bring."""

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    TextField,
)

from .base import BaseModel, utcnow
from .people import Member, StaffUser
from .practice import Location, MembershipPlan, ServiceLine

CHANNELS = ("link", "qr", "email", "print", "sms", "invitation", "typed")
HOW_HEARD = (
    "patient_referral",
    "physician_referral",
    "paid_search",
    "organic_search",
    "ai_assistant",
    "social_media",
    "event",
    "other",
)
SIGNUP_STATUSES = (
    "new",
    "contacted",
    "scheduled",
    "seen",
    "became_patient",
    "closed",
)
RELATIONSHIPS = ("family", "friend", "colleague")
# The funnel's steps in order; "closed" ends a sign-up without moving it on.
FUNNEL_STEPS = ("new", "contacted", "scheduled", "seen", "became_patient")


def furthest_step(*statuses):
    """Return the furthest funnel step among statuses ("new" if none is one)."""
    steps = [status for status in statuses if status in FUNNEL_STEPS]
    return max(steps, key=FUNNEL_STEPS.index, default="new")


class ReferralLink(BaseModel):
    member = ForeignKeyField(Member, backref="links", on_delete="CASCADE")
    code = CharField(unique=True)
    service_line = ForeignKeyField(ServiceLine, null=True)
    created_at = DateTimeField(default=utcnow)
    revoked_at = DateTimeField(null=True)
    revoked_by = ForeignKeyField(StaffUser, null=True)


class Click(BaseModel):
    """One counted visit to a referral link; no raw address, no full user agent."""

    link = ForeignKeyField(ReferralLink, backref="clicks", on_delete="CASCADE")
    channel = CharField(default="link")
    clicked_at = DateTimeField(default=utcnow, index=True)
    ip_hash = CharField(null=True)
    browser_family = CharField(default="")
    visitor = CharField(null=True, index=True)
    prompt_id = CharField(null=True)


class Invitation(BaseModel):
    """A member-get-member invitation from a member to someone they know."""

    inviter = ForeignKeyField(Member, backref="invitations", on_delete="CASCADE")
    token = CharField(unique=True)
    first_name = CharField()
    email = CharField(index=True)
    relationship = CharField(default="friend")
    note = TextField(default="")
    inviter_named = BooleanField(default=False)
    status = CharField(default="sent")
    created_at = DateTimeField(default=utcnow, index=True)
    sent_at = DateTimeField(null=True)
    opened_at = DateTimeField(null=True)
    joined_at = DateTimeField(null=True)


class SignUp(BaseModel):
    """A person who asked to become a patient or member, with its source."""

    kind = CharField(default="patient")
    first_name = CharField()
    last_name = CharField(default="")
    email = CharField(null=True, index=True)
    phone = CharField(null=True)
    language = CharField(max_length=8, default="en")
    service_line = ForeignKeyField(ServiceLine, null=True)
    location = ForeignKeyField(Location, null=True)
    plan = ForeignKeyField(MembershipPlan, null=True)
    how_heard = CharField(default="other")
    how_heard_detail = CharField(default="")
    code_entered = CharField(default="")
    link = ForeignKeyField(ReferralLink, null=True, backref="signups")
    ambassador = ForeignKeyField(Member, null=True, backref="referred_signups")
    channel = CharField(null=True)
    attribution_method = CharField(default="none")
    click = ForeignKeyField(Click, null=True, on_delete="SET NULL")
    invitation = ForeignKeyField(Invitation, null=True, backref="signups")
    prompt_id = CharField(null=True)
    utm_source = CharField(default="")
    utm_medium = CharField(default="")
    utm_campaign = CharField(default="")
    utm_term = CharField(default="")
    utm_content = CharField(default="")
    email_consent = BooleanField(default=False)
    sms_consent = BooleanField(default=False)
    consent_version = CharField(default="")
    share_name_with_inviter = BooleanField(default=False)
    self_referral = BooleanField(default=False)
    existing_patient = BooleanField(default=False)
    origin = CharField(default="portal")
    status = CharField(default="new", index=True)
    # The furthest funnel step this sign-up ever reached, so the monthly funnel
    # still counts a sign-up that was seen and later closed. Kept by save().
    reached_status = CharField(default="new")
    status_changed_at = DateTimeField(default=utcnow)
    member = ForeignKeyField(Member, null=True, backref="signup_origin")
    became_patient_at = DateTimeField(null=True, index=True)
    # Set once a referred member stays active past the plan's cancellation window.
    retained_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("ambassador", "created_at"), False),
            # Reports count a month's sign-ups from this index alone (no rows read).
            (
                (
                    "created_at",
                    "ambassador",
                    "how_heard",
                    "channel",
                    "reached_status",
                    "service_line",
                    "location",
                ),
                False,
            ),
        )

    def save(self, *args, **kwargs):
        self.reached_status = furthest_step(self.reached_status, self.status)
        return super().save(*args, **kwargs)
