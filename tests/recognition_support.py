"""Builders shared by the recognition and compliance tests."""

import itertools

from portal.models import CatalogItem, Member, SignUp, StaffUser
from portal.recognition import versions
from portal.recognition.policy import default_rules

_numbers = itertools.count(1)


def staff(role="staff", name=""):
    n = next(_numbers)
    return StaffUser.create(
        email=f"{role}{n}@practice.example", name=name or f"{role} {n}", role=role
    )


def signed_policy(rules=None, state="NC"):
    """Create and sign a policy version; return it."""
    officer = StaffUser.select().where(StaffUser.role == "compliance").first() or staff(
        "compliance", "Casey Compliance"
    )
    version = versions.create_version(
        rules or default_rules(state), f"staff:{officer.id}", officer, "test policy"
    )
    return versions.sign_version(version, officer, f"staff:{officer.id}")


def item(kind="thank_you_note", cents=0, name=None, **extra):
    return CatalogItem.create(
        name=name or f"{kind} {cents}", kind=kind, retail_value_cents=cents, **extra
    )


def catalog():
    """The demo-like catalog: one item per trigger's default kind and more."""
    return {
        "note": item("thank_you_note", 0, "Thank-you note"),
        "bottle": item("branded_item", 1200, "Water bottle"),
        "donation": item("charitable_donation", 1500, "Donation in your name"),
        "wall": item(
            "public_recognition", 0, "Thank-you wall", needs_authorization=True
        ),
        "gift_card": item("gift_card", 2500, "Gift card", cash_equivalent=True),
        "credit": item("service_credit", 2500, "Service credit"),
    }


def member(**fields):
    n = next(_numbers)
    values = {
        "email": f"member{n}@example.com",
        "first_name": f"Member{n}",
        "payer_category": "commercial",
        "us_state": "NC",
    }
    values.update(fields)
    return Member.create(**values)


def signup(ambassador, **fields):
    n = next(_numbers)
    values = {
        "first_name": f"Friend{n}",
        "email": f"friend{n}@example.net",
        "ambassador": ambassador,
        "how_heard": "patient_referral",
        "channel": "link",
    }
    values.update(fields)
    return SignUp.create(**values)
