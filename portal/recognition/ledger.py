"""The value ledger: what a member was given this year, and the facts policy reads."""

import datetime

from peewee import fn

from portal.models import Recognition, StaffUser
from portal.practice import practice_zone
from portal.recognition.policy import ItemFacts, MemberFacts, SignupFacts

COUNTED = ("approved", "fulfilled")


def practice_year(moment=None):
    """Return the calendar year in the practice's timezone for a naive UTC time."""
    moment = moment or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    aware = moment.replace(tzinfo=datetime.UTC).astimezone(practice_zone())
    return aware.year


def year_to_date(member_id, year=None):
    """Return the value in cents approved for a member in a calendar year."""
    year = year or practice_year()
    total = (
        Recognition.select(fn.COALESCE(fn.SUM(Recognition.value_cents), 0))
        .where(
            Recognition.member == member_id,
            Recognition.year == year,
            Recognition.status.in_(COUNTED),
        )
        .scalar()
    )
    return int(total or 0)


def year_totals(member_ids, year=None):
    """Return {member id: cents approved this year} for many members at once."""
    if not member_ids:
        return {}
    year = year or practice_year()
    rows = (
        Recognition.select(
            Recognition.member, fn.SUM(Recognition.value_cents).alias("total")
        )
        .where(
            Recognition.member.in_(list(member_ids)),
            Recognition.year == year,
            Recognition.status.in_(COUNTED),
        )
        .group_by(Recognition.member)
        .tuples()
    )
    totals = {member_id: 0 for member_id in member_ids}
    totals.update({member_id: int(total) for member_id, total in rows})
    return totals


def member_facts(member):
    """Read what the policy needs about a member; staff by flag or by address."""
    staff = bool(member.is_clinician_or_staff)
    if not staff and member.email:
        staff = (
            StaffUser.select().where(StaffUser.email == member.email.lower()).exists()
        )
    return MemberFacts(
        clinician_or_staff=staff,
        payer=member.payer_category or "unknown",
        state=(member.us_state or "").upper(),
        authorized=member.recognition_authorized_at is not None,
        erased=member.erased_at is not None,
    )


def item_facts(item):
    return ItemFacts(
        kind=item.kind,
        value_cents=item.retail_value_cents,
        cash_equivalent=item.cash_equivalent,
        needs_authorization=item.needs_authorization,
        active=item.active,
    )


def signup_facts(signup):
    if signup is None:
        return None
    return SignupFacts(
        self_referral=signup.self_referral, existing_patient=signup.existing_patient
    )
