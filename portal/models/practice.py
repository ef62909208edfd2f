"""The practice itself: settings, locations, service lines and membership plans."""

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    IntegerField,
    TextField,
)

from .base import BaseModel, JSONField, utcnow

PRACTICE_KINDS = (
    "concierge",
    "direct_primary_care",
    "surgical_specialty",
    "dental",
    "other",
)


class PracticeSettings(BaseModel):
    """The single row of practice-wide settings (id 1)."""

    name = CharField(default="")
    postal_address = TextField(default="")
    timezone = CharField(default="America/New_York")
    us_state = CharField(max_length=2, default="")
    practice_kind = CharField(default="other")
    membership_enabled = BooleanField(default=False)
    help_phone = CharField(default="")
    help_email = CharField(default="")
    brand_primary = CharField(default="#0b5563")
    brand_accent = CharField(default="#f2b134")
    logo_path = CharField(default="")
    sender_name = CharField(default="")
    reply_to = CharField(default="")
    allowed_origins = TextField(default="")
    attribution_window_days = IntegerField(default=90)
    survey_enabled = BooleanField(default=False)
    survey_delay_hours = IntegerField(default=3)
    invitation_monthly_limit = IntegerField(default=10)
    invitation_address_days = IntegerField(default=90)
    click_retention_days = IntegerField(default=400)
    setup_progress = JSONField(default=dict)
    setup_completed_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)


class Location(BaseModel):
    name = CharField()
    slug = CharField(unique=True)
    address = TextField(default="")
    active = BooleanField(default=True)


class ServiceLine(BaseModel):
    name = CharField()
    slug = CharField(unique=True)
    description = TextField(default="")
    referral_enabled = BooleanField(default=True)
    sensitive = BooleanField(default=False)
    active = BooleanField(default=True)
    position = IntegerField(default=0)


class MembershipPlan(BaseModel):
    name = CharField()
    monthly_fee_cents = IntegerField(default=0)
    includes = TextField(default="")
    cancellation_window_days = IntegerField(default=30)
    active = BooleanField(default=True)
