"""Visits and their satisfaction signals, the prompts decided from them."""

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .base import BaseModel, JSONField, utcnow
from .people import Member, StaffUser
from .practice import Location, ServiceLine

SCALES = {"nps": (0, 10), "csat": (1, 5), "stars": (1, 5)}
PROMPT_STATUSES = ("scheduled", "sent", "suppressed", "cancelled")


class Visit(BaseModel):
    external_id = CharField(unique=True)
    member = ForeignKeyField(Member, backref="visits", on_delete="CASCADE")
    service_line = ForeignKeyField(ServiceLine, null=True)
    location = ForeignKeyField(Location, null=True)
    visited_at = DateTimeField(index=True)
    amount_cents = IntegerField(null=True)
    flag_minor = BooleanField(default=False)
    flag_adverse_event = BooleanField(default=False)
    flag_deceased = BooleanField(default=False)
    flag_open_complaint = BooleanField(default=False)
    source = CharField(default="api")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        # Revenue per patient sums a member's visits from this index alone.
        indexes = ((("member", "visited_at", "amount_cents"), False),)


class SatisfactionSignal(BaseModel):
    visit = ForeignKeyField(Visit, backref="signals", on_delete="CASCADE")
    external_id = CharField(null=True, unique=True)
    scale = CharField()
    score = IntegerField()
    recorded_at = DateTimeField(default=utcnow)
    source = CharField(default="api")


class PromptRule(BaseModel):
    """Prompt rules for one service line, or the practice default when null."""

    service_line = ForeignKeyField(ServiceLine, null=True, unique=True)
    enabled = BooleanField(default=True)
    nps_min = IntegerField(default=9)
    csat_min = IntegerField(default=5)
    stars_min = IntegerField(default=5)
    cooldown_days = IntegerField(default=90)
    lifetime_limit = IntegerField(default=6)
    delay_minutes = IntegerField(default=120)
    quiet_start = CharField(default="21:00")
    quiet_end = CharField(default="08:00")
    updated_at = DateTimeField(default=utcnow)


class Prompt(BaseModel):
    """The decision taken for one visit: a prompt scheduled or sent, or why not."""

    visit = ForeignKeyField(Visit, unique=True, backref="prompt", on_delete="CASCADE")
    member = ForeignKeyField(Member, backref="prompts", on_delete="CASCADE")
    status = CharField(index=True)
    reason_code = CharField()
    reason_detail = TextField(default="")
    rule = JSONField(default=dict)
    decided_at = DateTimeField(default=utcnow, index=True)
    scheduled_for = DateTimeField(null=True, index=True)
    sent_at = DateTimeField(null=True)
    opened_at = DateTimeField(null=True)
    shared_at = DateTimeField(null=True)
    dismissed_at = DateTimeField(null=True)


class Survey(BaseModel):
    """The built-in one-question survey for a visit that came without a signal."""

    visit = ForeignKeyField(Visit, unique=True, backref="survey", on_delete="CASCADE")
    scheduled_for = DateTimeField(index=True)
    sent_at = DateTimeField(null=True)
    answered_at = DateTimeField(null=True)
    score = IntegerField(null=True)


class RecoveryAlert(BaseModel):
    """A service-recovery alert for staff after a detractor score."""

    visit = ForeignKeyField(Visit, backref="alerts", on_delete="CASCADE")
    member = ForeignKeyField(Member, on_delete="CASCADE")
    wants_contact = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow, index=True)
    resolved_at = DateTimeField(null=True)
    resolved_by = ForeignKeyField(StaffUser, null=True)
    note = TextField(default="")
    # When managers were last emailed about it; cleared when the patient then
    # asks to be contacted, so they are told again.
    notified_at = DateTimeField(null=True)
