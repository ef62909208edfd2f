"""Policy versions: drafted, signed by compliance, then in effect; never deleted."""

from peewee import fn

from portal import audit
from portal.db import utcnow, write_transaction
from portal.models import PolicyVersion
from portal.practice import get_settings
from portal.recognition.policy import default_rules
from portal.recognition.rules import diff_rules, validate_rules

SIGNING_ROLES = ("compliance", "admin")


class PolicyError(Exception):
    """A policy change that cannot be made, with a message a person can act on."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = errors or []


def active_version():
    """Return the signed version in effect, or None before the first sign-off."""
    return (
        PolicyVersion.select()
        .where(PolicyVersion.status == "active")
        .order_by(PolicyVersion.number.desc())
        .first()
    )


def pending_version():
    return (
        PolicyVersion.select()
        .where(PolicyVersion.status == "pending")
        .order_by(PolicyVersion.number.desc())
        .first()
    )


def history():
    return list(PolicyVersion.select().order_by(PolicyVersion.number.desc()))


def create_version(rules, actor, staff=None, note=""):
    """Store rules as a new version awaiting sign-off; refuse invalid rules."""
    errors = validate_rules(rules)
    if errors:
        raise PolicyError("the rules have problems", errors)
    with write_transaction():
        waiting = pending_version()
        if waiting is not None:
            raise PolicyError(
                f"version {waiting.number} is awaiting sign-off; "
                "sign or withdraw it first"
            )
        current = active_version()
        if current is not None and current.rules == rules:
            raise PolicyError("these rules are the same as the version in effect")
        number = (PolicyVersion.select(fn.MAX(PolicyVersion.number)).scalar() or 0) + 1
        version = PolicyVersion.create(
            number=number,
            rules=rules,
            change_note=note.strip(),
            created_by=staff,
            status="pending",
        )
        changes = diff_rules(current.rules if current else {}, rules)
        audit.record(
            actor,
            "policy.created",
            f"policy:{number}",
            {"changes": [path for path, _, _ in changes], "note": note.strip()},
        )
    return version


def sign_version(version, staff, actor):
    """Put a pending version into effect; only a compliance user may sign."""
    if staff is None or staff.role not in SIGNING_ROLES or not staff.active:
        raise PolicyError("only an active compliance user can sign a policy")
    with write_transaction():
        version = PolicyVersion.get_by_id(version.id)
        if version.status != "pending":
            raise PolicyError(f"version {version.number} is not awaiting sign-off")
        previous = active_version()
        if previous is not None:
            previous.status = "superseded"
            previous.save()
        version.status = "active"
        version.signed_by = staff
        version.signed_at = utcnow()
        version.save()
        audit.record(
            actor,
            "policy.signed",
            f"policy:{version.number}",
            {
                "signed_by": f"staff:{staff.id}",
                "supersedes": previous.number if previous else None,
            },
        )
    return version


def withdraw_version(version, actor):
    """Set aside a version that was never signed; it stays in the history."""
    with write_transaction():
        version = PolicyVersion.get_by_id(version.id)
        if version.status != "pending":
            raise PolicyError(f"version {version.number} is not awaiting sign-off")
        version.status = "withdrawn"
        version.save()
        audit.record(actor, "policy.withdrawn", f"policy:{version.number}")
    return version


def base_rules():
    """Return the rules a new draft starts from: the one in effect, or defaults."""
    current = active_version()
    if current is not None:
        return current.rules
    return default_rules(get_settings().us_state)
