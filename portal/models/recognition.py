"""The recognition catalog, policy versions, recognitions and their approvals."""

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
from .referrals import SignUp

ITEM_KINDS = (
    "thank_you_note",
    "public_recognition",
    "branded_item",
    "charitable_donation",
    "service_credit",
    "discount",
    "copay_waiver",
    "gift_card",
    "cash",
    "other",
)
TRIGGERS = ("referred_signup", "first_visit", "membership_retained")
RECOGNITION_STATUSES = ("proposed", "approved", "denied", "fulfilled")


class CatalogItem(BaseModel):
    name = CharField()
    kind = CharField()
    description = TextField(default="")
    retail_value_cents = IntegerField(default=0)
    cash_equivalent = BooleanField(default=False)
    needs_authorization = BooleanField(default=False)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)


class PolicyVersion(BaseModel):
    """One version of the recognition rules; takes effect once compliance signs."""

    number = IntegerField(unique=True)
    rules = JSONField()
    change_note = TextField(default="")
    created_by = ForeignKeyField(StaffUser, null=True)
    created_at = DateTimeField(default=utcnow)
    signed_by = ForeignKeyField(StaffUser, null=True)
    signed_at = DateTimeField(null=True)
    status = CharField(default="pending")


class Recognition(BaseModel):
    member = ForeignKeyField(Member, backref="recognitions", on_delete="CASCADE")
    item = ForeignKeyField(CatalogItem)
    value_cents = IntegerField()
    trigger = CharField()
    signup = ForeignKeyField(SignUp, null=True, backref="recognitions")
    status = CharField(default="proposed", index=True)
    policy_version = ForeignKeyField(PolicyVersion, null=True)
    checks = JSONField(default=list)
    year = IntegerField(index=True)
    proposed_at = DateTimeField(default=utcnow)
    decided_at = DateTimeField(null=True)
    denial_reason = TextField(default="")
    fulfilled_at = DateTimeField(null=True)
    fulfilled_by = ForeignKeyField(StaffUser, null=True)

    class Meta:
        indexes = ((("member", "trigger", "signup"), True),)


class Approval(BaseModel):
    recognition = ForeignKeyField(Recognition, backref="approvals", on_delete="CASCADE")
    staff = ForeignKeyField(StaffUser)
    approved_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("recognition", "staff"), True),)
