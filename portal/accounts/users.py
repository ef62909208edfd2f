"""Who is signed in, what their role lets them do, and the guards for views."""

from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import UserMixin, current_user

from portal.extensions import login_manager
from portal.models import Member, StaffUser

# "mail": see and retry email that could not be delivered (/staff/outbox).
PERMISSIONS = {
    "staff": {"staff_area", "signups", "approve", "mail"},
    "manager": {"staff_area", "signups", "approve", "settings", "reports", "mail"},
    "compliance": {"staff_area", "compliance", "reports"},
    "admin": {
        "staff_area",
        "signups",
        "approve",
        "settings",
        "reports",
        "compliance",
        "admin",
        "mail",
    },
}


class SignedInMember(UserMixin):
    is_member = True
    is_staff = False

    def __init__(self, member):
        self.member = member
        self.preferred_language = member.preferred_language

    def get_id(self):
        return f"m:{self.member.id}"

    def can(self, permission):
        return False

    @property
    def audit_name(self):
        return f"member:{self.member.id}"


class SignedInStaff(UserMixin):
    is_member = False
    is_staff = True
    preferred_language = None

    def __init__(self, staff):
        self.staff = staff
        self.role = staff.role

    def get_id(self):
        # The version ends every session of a user who is deactivated or re-roled.
        return f"s:{self.staff.id}:{self.staff.session_version}"

    def can(self, permission):
        return permission in PERMISSIONS.get(self.role, set())

    @property
    def audit_name(self):
        return f"staff:{self.staff.id}"


@login_manager.user_loader
def load_user(user_id):
    kind, _, rest = (user_id or "").partition(":")
    if kind == "m" and rest.isdigit():
        member = Member.get_or_none(Member.id == int(rest), Member.erased_at.is_null())
        return SignedInMember(member) if member else None
    if kind == "s":
        staff_id, _, version = rest.partition(":")
        if not (staff_id.isdigit() and version.isdigit()):
            return None
        staff = StaffUser.get_or_none(
            StaffUser.id == int(staff_id),
            StaffUser.active == True,  # noqa: E712
        )
        if staff and staff.session_version == int(version):
            return SignedInStaff(staff)
    return None


@login_manager.unauthorized_handler
def unauthorized():
    if request.path.startswith("/api/"):
        abort(401)
    if "accounts.login" in current_app.view_functions:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    abort(401)


def member_required(view):
    """Let only a signed-in member through."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_member:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def permission_required(permission):
    """Let only signed-in staff whose role grants the permission through."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


def actor():
    """Name the current person for the audit log, by id only."""
    if current_user and current_user.is_authenticated:
        return current_user.audit_name
    return "anonymous"
