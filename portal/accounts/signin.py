"""Sign-in links: issue one for an address, and redeem it once within 15 minutes.

The link carries a random nonce signed with itsdangerous; the database keeps a
hash of the nonce with its expiry and the time it was used, so a link cannot
be replayed even inside its 15 minutes.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.db import utcnow, write_transaction
from portal.mail import send_email
from portal.models import Member, OneTimeToken, StaffUser
from portal.web import external_url, safe_next

PURPOSE = "sign_in"
SALT = "portal.sign-in"
LIFETIME = datetime.timedelta(minutes=15)


@dataclass
class Redemption:
    """What opening a link came to: outcome is ok, expired, used or invalid."""

    outcome: str
    kind: str = ""
    person: object = None
    next_url: str = ""


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _digest(nonce):
    return hashlib.sha256(nonce.encode()).hexdigest()


def normalise(email):
    return (email or "").strip().lower()


def find_person(email):
    """Return ("staff", user) or ("member", member) for an address, or None.

    Staff come first: a staff user who is also a patient signs in as staff
    and can sign in as a member from a separate address.
    """
    email = normalise(email)
    staff = StaffUser.get_or_none(
        StaffUser.email == email,
        StaffUser.active == True,  # noqa: E712
    )
    if staff:
        return "staff", staff
    member = Member.get_or_none(Member.email == email, Member.erased_at.is_null())
    if member:
        return "member", member
    return None


def send_link(email, next_url=""):
    """Email a sign-in link if the address belongs to someone; return the row."""
    found = find_person(email)
    if found is None:
        return None
    kind, person = found
    link = issue_link(kind, person.id, next_url)
    language = person.preferred_language if kind == "member" else "en"
    return send_email(
        person.email,
        "sign_in",
        {"link": link, "minutes": int(LIFETIME.total_seconds() // 60)},
        kind="sign_in",
        marketing=False,
        language=language,
    )


def issue_link(kind, person_id, next_url=""):
    """Store a fresh nonce for the person and return the absolute link."""
    nonce = secrets.token_urlsafe(32)
    now = utcnow()
    with write_transaction():
        # Spent and stale nonces have no further use.
        OneTimeToken.delete().where(
            OneTimeToken.purpose == PURPOSE,
            OneTimeToken.expires_at < now - datetime.timedelta(days=1),
        ).execute()
        OneTimeToken.create(
            nonce=_digest(nonce),
            purpose=PURPOSE,
            subject_kind=kind,
            subject_id=person_id,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    payload = {"n": nonce, "next": safe_next(next_url, "")}
    return external_url("accounts.login_link", token=_serializer().dumps(payload))


def peek(token):
    """Check a link without using it up (for link-preview fetchers)."""
    payload, outcome = _read(token)
    if payload is None:
        return outcome
    row = _row(payload["n"])
    if row is None:
        return "invalid"
    if row.used_at is not None:
        return "used"
    return "ok" if row.expires_at > utcnow() else "expired"


def redeem(token):
    """Use a link up and return who it signs in, or why it cannot."""
    payload, outcome = _read(token)
    if payload is None:
        return Redemption(outcome)
    row = _row(payload["n"])
    if row is None:
        return Redemption("invalid")

    now = utcnow()
    used = (
        OneTimeToken.update(used_at=now)
        .where(
            OneTimeToken.id == row.id,
            OneTimeToken.used_at.is_null(),
            OneTimeToken.expires_at > now,
        )
        .execute()
    )
    if used != 1:
        fresh = OneTimeToken.get_by_id(row.id)
        return Redemption("used" if fresh.used_at is not None else "expired")

    person = _person(row.subject_kind, row.subject_id)
    if person is None:
        return Redemption("invalid")
    return Redemption("ok", row.subject_kind, person, payload.get("next") or "")


def _read(token):
    try:
        payload = _serializer().loads(token, max_age=int(LIFETIME.total_seconds()))
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    if not isinstance(payload, dict) or not isinstance(payload.get("n"), str):
        return None, "invalid"
    return payload, "ok"


def _row(nonce):
    return OneTimeToken.get_or_none(
        OneTimeToken.nonce == _digest(nonce), OneTimeToken.purpose == PURPOSE
    )


def _person(kind, person_id):
    if kind == "staff":
        return StaffUser.get_or_none(
            StaffUser.id == person_id,
            StaffUser.active == True,  # noqa: E712
        )
    if kind == "member":
        return Member.get_or_none(Member.id == person_id, Member.erased_at.is_null())
    return None
