"""Members, staff users, their consents, and one-time tokens."""

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from .base import BaseModel, utcnow
from .practice import MembershipPlan

PAYER_CATEGORIES = (
    "commercial",
    "medicare",
    "medicaid",
    "self_pay",
    "membership",
    "other",
    "unknown",
)
MEMBERSHIP_STATUSES = ("active", "paused", "cancelled")
STAFF_ROLES = ("staff", "manager", "compliance", "admin")
CONSENT_KINDS = ("email", "sms", "public_recognition", "prompts", "named_to_friends")


class Member(BaseModel):
    """A patient or membership-practice member known to the portal."""

    external_id = CharField(null=True, unique=True)
    email = CharField(null=True, unique=True)
    phone = CharField(null=True)
    first_name = CharField(default="")
    last_name = CharField(default="")
    preferred_language = CharField(max_length=8, default="en")
    payer_category = CharField(default="unknown")
    us_state = CharField(max_length=2, default="")
    household = CharField(null=True, index=True)
    plan = ForeignKeyField(MembershipPlan, null=True, backref="members")
    membership_status = CharField(null=True)
    membership_started_on = DateField(null=True)
    is_clinician_or_staff = BooleanField(default=False)
    named_to_friends = BooleanField(default=False)
    prompts_opt_out = BooleanField(default=False)
    email_consent_at = DateTimeField(null=True)
    sms_consent_at = DateTimeField(null=True)
    recognition_authorized_at = DateTimeField(null=True)
    consent_version = CharField(default="")
    pseudonym = CharField(null=True, unique=True)
    erased_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def display_name(self):
        return f"{self.first_name} {self.last_name}".strip() or f"Member {self.id}"


class Consent(BaseModel):
    """Every consent given or withdrawn, with the wording's version and time."""

    member = ForeignKeyField(Member, backref="consents", on_delete="CASCADE")
    kind = CharField()
    granted = BooleanField()
    version = CharField()
    source = CharField(default="portal")
    recorded_at = DateTimeField(default=utcnow)


class StaffUser(BaseModel):
    email = CharField(unique=True)
    name = CharField(default="")
    role = CharField(default="staff")
    active = BooleanField(default=True)
    is_clinician = BooleanField(default=False)
    # Bumped on deactivation or role change so existing sessions stop working.
    session_version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    last_sign_in_at = DateTimeField(null=True)


class OneTimeToken(BaseModel):
    """The stored nonce behind a signed link that may be used once."""

    nonce = CharField(unique=True)
    purpose = CharField()
    subject_kind = CharField()
    subject_id = IntegerField()
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
