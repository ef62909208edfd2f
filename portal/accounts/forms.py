"""Forms of the accounts area (each carries the CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length

from portal.models.people import STAFF_ROLES

ROLE_LABELS = {
    "staff": _l("Staff"),
    "manager": _l("Practice manager"),
    "compliance": _l("Compliance officer"),
    "admin": _l("Administrator"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def role_choices():
    return [(role, ROLE_LABELS[role]) for role in STAFF_ROLES]


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Enter your email address.")),
            Email(_l("Enter an email address like name@example.com.")),
            Length(max=254),
        ],
    )
    next = HiddenField()


class LinkConfirmForm(FlaskForm):
    """The button a link-preview fetcher sees instead of being signed in."""


class LogoutForm(FlaskForm):
    pass


class StaffAddForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Enter the staff member's email address.")),
            Email(_l("Enter an email address like name@example.com.")),
            Length(max=254),
        ],
    )
    name = StringField(_l("Name"), validators=[Length(max=120)])
    role = SelectField(_l("Role"), choices=role_choices, default="staff")
    clinician = BooleanField(_l("Clinician (never eligible for recognition)"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)


class ActiveForm(FlaskForm):
    """Deactivate or reactivate a staff user."""


class RetryForm(FlaskForm):
    """Send a failed email again."""
