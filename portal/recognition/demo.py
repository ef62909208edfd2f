"""The demo practice's catalog, its signed first policy and a few proposals."""

from portal.models import CatalogItem, SignUp, StaffUser
from portal.practice import get_settings
from portal.recognition import versions, workflow
from portal.recognition.policy import default_rules

# (name, kind, retail value in cents, cash equivalent, needs authorization)
CATALOG = [
    ("Handwritten thank-you note", "thank_you_note", 0, False, False),
    ("Branded water bottle", "branded_item", 1200, False, False),
    ("Charitable donation in your name", "charitable_donation", 1500, False, False),
    ("Thank-you wall in the waiting room", "public_recognition", 0, False, True),
    ("$25 gift card (recorded only to be refused)", "gift_card", 2500, True, False),
    (
        "Service credit (recorded only to be refused)",
        "service_credit",
        2500,
        False,
        False,
    ),
]
COMPLIANCE_EMAIL = "compliance@maplegrove.example"
PROPOSALS = 8


def load(echo=print):
    """Create the catalog, sign policy version 1 and propose for demo sign-ups."""
    for name, kind, value, cash_equivalent, authorization in CATALOG:
        CatalogItem.create(
            name=name,
            kind=kind,
            retail_value_cents=value,
            cash_equivalent=cash_equivalent,
            needs_authorization=authorization,
        )
    officer = StaffUser.get(StaffUser.email == COMPLIANCE_EMAIL)
    version = versions.create_version(
        default_rules(get_settings().us_state),
        "cli",
        staff=officer,
        note="First policy: the defaults for the practice's state.",
    )
    versions.sign_version(version, officer, "cli")
    proposed = _propose_for_signups()
    echo(f"recognition: {len(CATALOG)} items, policy v1 signed, {proposed} proposed")


def _propose_for_signups():
    referred = (
        SignUp.select()
        .where(SignUp.ambassador.is_null(False))
        .order_by(SignUp.created_at.desc())
        .limit(PROPOSALS)
    )
    count = 0
    for signup in referred:
        seen = signup.status in ("seen", "became_patient")
        trigger = "first_visit" if seen else "referred_signup"
        if workflow.propose(signup.ambassador, trigger, signup) is not None:
            count += 1
    return count
