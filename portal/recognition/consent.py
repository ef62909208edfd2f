"""The member's written authorization for public recognition."""

from portal import audit
from portal.db import utcnow, write_transaction
from portal.models import Consent

VERSION = "written-authorization"


def record(member, actor):
    """Note that the member's signed authorization is on file."""
    with write_transaction():
        member.recognition_authorized_at = utcnow()
        member.save(only=[type(member).recognition_authorized_at])
        Consent.create(
            member=member,
            kind="public_recognition",
            granted=True,
            version=VERSION,
            source="staff",
        )
        audit.record(actor, "member.recognition_authorized", f"member:{member.id}")


def withdraw(member, actor):
    """Take the authorization off file; public recognition is refused from now."""
    with write_transaction():
        member.recognition_authorized_at = None
        member.save(only=[type(member).recognition_authorized_at])
        Consent.create(
            member=member,
            kind="public_recognition",
            granted=False,
            version=VERSION,
            source="staff",
        )
        audit.record(
            actor, "member.recognition_authorization_withdrawn", f"member:{member.id}"
        )
