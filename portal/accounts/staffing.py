"""Changes to staff users; each one writes an audit event and ends old sessions."""

from flask_babel import lazy_gettext as _l

from portal import audit
from portal.db import is_sqlite, write_transaction
from portal.models import StaffUser
from portal.models.people import STAFF_ROLES


class StaffChangeRefused(Exception):
    """A change that would lock the practice out or is otherwise not allowed."""


def add(actor, email, role, name="", clinician=False):
    """Create a staff user; refuse an address that already has one."""
    email = (email or "").strip().lower()
    _check_role(role)
    with write_transaction():
        if StaffUser.select().where(StaffUser.email == email).exists():
            raise StaffChangeRefused(_l("A staff user with that email address exists."))
        user = StaffUser.create(
            email=email, name=name.strip(), role=role, is_clinician=clinician
        )
        audit.record(actor, "staff.added", f"staff:{user.id}", {"role": role})
    return user


def change_role(actor, staff_id, role):
    """Give a staff user another role; their current sessions end."""
    _check_role(role)
    with write_transaction():
        user = _locked(staff_id)
        if user.role == role:
            return user
        if user.role == "admin" and role != "admin":
            _keep_an_admin(user)
        old = user.role
        _bump(user, role=role)
        audit.record(
            actor, "staff.role_changed", f"staff:{user.id}", {"from": old, "to": role}
        )
    return StaffUser.get_by_id(staff_id)


def set_active(actor, staff_id, active):
    """Deactivate (ending every session) or reactivate a staff user."""
    with write_transaction():
        user = _locked(staff_id)
        if user.active == active:
            return user
        if not active and user.role == "admin":
            _keep_an_admin(user)
        _bump(user, active=active)
        action = "staff.reactivated" if active else "staff.deactivated"
        audit.record(actor, action, f"staff:{user.id}")
    return StaffUser.get_by_id(staff_id)


def _bump(user, **values):
    # The session version is part of every session id; a new one ends them all.
    StaffUser.update(session_version=StaffUser.session_version + 1, **values).where(
        StaffUser.id == user.id
    ).execute()


def _locked(staff_id):
    query = StaffUser.select().where(StaffUser.id == staff_id)
    # SQLite's write transaction already holds the only write lock.
    user = query.first() if is_sqlite() else query.for_update().first()
    if user is None:
        raise LookupError(staff_id)
    return user


def _keep_an_admin(user):
    others = StaffUser.select().where(
        StaffUser.role == "admin",
        StaffUser.active == True,  # noqa: E712
        StaffUser.id != user.id,
    )
    if not others.exists():
        raise StaffChangeRefused(
            _l("The practice needs at least one active administrator.")
        )


def _check_role(role):
    if role not in STAFF_ROLES:
        raise StaffChangeRefused(_l("Choose one of the roles listed."))
