"""The sign-up: one model validates the HTML form and the JSON API alike.

``check(payload)`` returns the clean sign-up or the problems, each tied to a
field, so the form can show them next to the field and the API can list them.
"""

from typing import Literal

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from portal.contacts import EmailAddress, PhoneNumber
from portal.models import Location, ServiceLine
from portal.models.referrals import HOW_HEARD
from portal.referrals.codes import normalise
from portal.referrals.links import find_active

HowHeard = Literal[HOW_HEARD]  # type: ignore[valid-type]
CODE_SOURCES = ("address", "typed")
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
CHECKBOXES = ("email_consent", "sms_consent")

MESSAGES = {
    "missing": _l("Please fill this in."),
    "string_too_short": _l("Please fill this in."),
    "string_too_long": _l("This is too long."),
    "literal_error": _l("Please choose one of the options."),
    "bool_parsing": _l("Please answer yes or no."),
    "bool_type": _l("Please answer yes or no."),
    "string_type": _l("This must be text."),
    "extra_forbidden": _l("This field is not part of a sign-up."),
    "email": _l("Please enter an email address like name@example.com."),
    "phone": _l("Please enter a phone number with its area code."),
    "code": _l("A referral code has 10 letters and numbers, like 7KQ4M-X2PTA."),
    "code_unknown": _l(
        "We could not find an active referral code like that. "
        "Check it, or leave it blank."
    ),
    "contact": _l("Please give an email address or a phone number."),
    "email_consent": _l("To be emailed, please give an email address."),
    "sms_consent": _l("To be texted, please give a mobile number."),
    "how_heard": _l("Please tell us how you heard about us."),
    "how_heard_detail": _l("Please tell us a little more."),
    "service_line": _l("Please choose one of the services listed."),
    "location": _l("Please choose one of the locations listed."),
    "invalid": _l("This value is not valid."),
}


HOW_HEARD_LABELS = {
    "patient_referral": _l("A patient or friend told me"),
    "physician_referral": _l("My doctor referred me"),
    "paid_search": _l("An ad in search results"),
    "organic_search": _l("A web search"),
    "ai_assistant": _l("An AI assistant's answer"),
    "social_media": _l("Social media"),
    "event": _l("An event"),
    "other": _l("Other"),
}


def how_heard_label(value):
    label = HOW_HEARD_LABELS.get(value)
    return str(label) if label else value


def how_heard_choices():
    """The how-heard answers as (value, label), in the order a form lists them."""
    return [(value, str(HOW_HEARD_LABELS[value])) for value in HOW_HEARD]


class SignupIn(BaseModel):
    """What a person asking to become a patient tells the practice."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(default="", max_length=80)
    email: EmailAddress | None = Field(default=None, max_length=254)
    phone: PhoneNumber | None = Field(default=None, max_length=32)
    service_line: str | None = Field(default=None, max_length=64)
    location: str | None = Field(default=None, max_length=64)
    how_heard: HowHeard | None = None
    how_heard_detail: str = Field(default="", max_length=200)
    code: str | None = Field(default=None, max_length=32)
    code_source: Literal["address", "typed"] = "typed"
    email_consent: bool = False
    sms_consent: bool = False
    language: Literal["en", "es"] | None = None
    utm_source: str = Field(default="", max_length=100)
    utm_medium: str = Field(default="", max_length=100)
    utm_campaign: str = Field(default="", max_length=100)
    utm_term: str = Field(default="", max_length=100)
    utm_content: str = Field(default="", max_length=100)

    @field_validator(
        "email", "phone", "service_line", "location", "code", "how_heard", mode="before"
    )
    @classmethod
    def _blank_is_none(cls, value):
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("code")
    @classmethod
    def _code(cls, value):
        if value is None:
            return None
        code = normalise(value)
        if code is None:
            raise ValueError("code")
        return code


def form_payload(form):
    """Turn submitted form fields into the model's input: known fields only."""
    payload = {}
    for name in SignupIn.model_fields:
        if name in CHECKBOXES:
            payload[name] = form.get(name) in ("1", "on", "yes", "true")
        elif name in form:
            payload[name] = form.get(name)
    return payload


def _message(error):
    if error["type"] == "value_error":
        key = str(error.get("ctx", {}).get("error", "invalid"))
        return str(MESSAGES.get(key, MESSAGES["invalid"]))
    return str(MESSAGES.get(error["type"], MESSAGES["invalid"]))


def _from_validation(exc):
    problems = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "body"
        problems.append({"field": field, "message": _message(error)})
    return problems


def _rules(data):
    """The checks that look at more than one field."""
    problems = []

    def fail(field, key):
        problems.append({"field": field, "message": str(MESSAGES[key])})

    if not data.email and not data.phone:
        fail("email", "contact")
    if data.email_consent and not data.email:
        fail("email_consent", "email_consent")
    if data.sms_consent and not data.phone:
        fail("sms_consent", "sms_consent")
    if data.how_heard is None and data.code:
        data.how_heard = "patient_referral"
    if data.how_heard is None:
        fail("how_heard", "how_heard")
    if data.how_heard == "other" and not data.how_heard_detail:
        fail("how_heard_detail", "how_heard_detail")
    return problems


class Resolved:
    """The records a clean sign-up points to."""

    def __init__(self, data):
        self.data = data
        self.service_line = None
        self.location = None
        self.link = None


def _lookups(data):
    resolved, problems = Resolved(data), []
    if data.service_line:
        resolved.service_line = ServiceLine.get_or_none(
            ServiceLine.slug == data.service_line,
            ServiceLine.active == True,  # noqa: E712
            ServiceLine.referral_enabled == True,  # noqa: E712
        )
        if resolved.service_line is None:
            problems.append(_problem("service_line"))
    if data.location:
        resolved.location = Location.get_or_none(
            Location.slug == data.location,
            Location.active == True,  # noqa: E712
        )
        if resolved.location is None:
            problems.append(_problem("location"))
    if data.code:
        resolved.link = find_active(data.code)
        if resolved.link is None:
            problems.append({"field": "code", "message": str(MESSAGES["code_unknown"])})
    return resolved, problems


def _problem(field):
    return {"field": field, "message": str(MESSAGES[field])}


def finish(data):
    """Check a parsed SignupIn across fields and against the database."""
    problems = _rules(data)
    if problems:
        return None, problems
    resolved, problems = _lookups(data)
    if problems:
        return None, problems
    return resolved, []


def check(payload):
    """Validate a sign-up; return (Resolved, []) or (None, problems)."""
    try:
        data = SignupIn.model_validate(payload)
    except ValidationError as exc:
        return None, _from_validation(exc)
    return finish(data)


def errors_by_field(problems):
    """Group problems for the form: {field: first message}."""
    grouped = {}
    for problem in problems:
        grouped.setdefault(problem["field"], problem["message"])
    return grouped
