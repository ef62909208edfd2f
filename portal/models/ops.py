"""The records the portal keeps about itself: audit, outbox, feed, keys, hooks."""

from peewee import (
    BigAutoField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .base import BaseModel, JSONField, utcnow
from .people import StaffUser
from .referrals import SignUp


class AuditEvent(BaseModel):
    """An append-only record, chained to the one before it by its hash."""

    id = BigAutoField()
    occurred_at = DateTimeField(default=utcnow)
    actor = CharField()
    action = CharField(index=True)
    subject = CharField(default="")
    detail = JSONField(default=dict)
    prev_hash = CharField()
    hash = CharField(unique=True)


class OutboxMessage(BaseModel):
    """An email, stored before any attempt to deliver it."""

    kind = CharField()
    marketing = BooleanField(default=False)
    to_email = CharField()
    subject = CharField()
    text_body = TextField()
    html_body = TextField()
    headers = JSONField(default=dict)
    language = CharField(max_length=8, default="en")
    status = CharField(default="pending", index=True)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    last_error = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)
    sent_at = DateTimeField(null=True)
    provider_id = CharField(default="")


class Suppression(BaseModel):
    """An address that asked for no more marketing email."""

    email = CharField(unique=True)
    reason = CharField(default="unsubscribe")
    source = CharField(default="link")
    created_at = DateTimeField(default=utcnow)


class AttributionEvent(BaseModel):
    """One fact for the attribution feed; its id is the pull cursor."""

    id = BigAutoField()
    event_id = CharField(unique=True)
    type = CharField(index=True)
    occurred_at = DateTimeField(default=utcnow, index=True)
    signup = ForeignKeyField(SignUp, null=True, on_delete="SET NULL")
    payload = JSONField()


class ApiKey(BaseModel):
    name = CharField()
    prefix = CharField(index=True)
    key_hash = CharField(unique=True)
    scope = CharField()
    signing_secret = CharField(default="")
    created_at = DateTimeField(default=utcnow)
    revoked_at = DateTimeField(null=True)
    last_used_at = DateTimeField(null=True)


class WebhookDestination(BaseModel):
    url = CharField()
    secret = CharField()
    event_types = TextField(default="*")
    active = BooleanField(default=True)
    created_by = ForeignKeyField(StaffUser, null=True)
    created_at = DateTimeField(default=utcnow)
    last_error = TextField(default="")
    last_success_at = DateTimeField(null=True)


class WebhookDelivery(BaseModel):
    destination = ForeignKeyField(
        WebhookDestination, backref="deliveries", on_delete="CASCADE"
    )
    event = ForeignKeyField(AttributionEvent, on_delete="CASCADE")
    status = CharField(default="pending", index=True)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    last_error = TextField(default="")
    delivered_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("destination", "event"), True),)
