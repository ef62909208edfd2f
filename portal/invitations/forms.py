"""The join form an invitation page posts: checked by one pydantic model."""

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from portal.contacts import EmailAddress, PhoneNumber
from portal.models import MembershipPlan

MESSAGES = {
    "missing": _l("Please fill this in."),
    "string_too_short": _l("Please fill this in."),
    "string_too_long": _l("This is too long."),
    "email": _l("Please enter an email address like name@example.com."),
    "phone": _l("Please enter a phone number with its area code."),
    "plan": _l("Please choose one of the plans."),
    "invalid": _l("This value is not valid."),
}
CHECKBOXES = ("household_addon", "share_name", "email_consent", "sms_consent")


class JoinIn(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(default="", max_length=80)
    email: EmailAddress = Field(min_length=3, max_length=254)
    phone: PhoneNumber | None = Field(default=None, max_length=32)
    plan: int
    household_addon: bool = False
    share_name: bool = False
    email_consent: bool = False
    sms_consent: bool = False

    @field_validator("plan")
    @classmethod
    def _plan(cls, value):
        plan = MembershipPlan.get_or_none(
            MembershipPlan.id == value,
            MembershipPlan.active == True,  # noqa: E712
        )
        if plan is None:
            raise ValueError("plan")
        return value


def check(form):
    """Return (clean data, {}) or (None, {field: message})."""
    data = {key: form.get(key, "") for key in JoinIn.model_fields}
    for box in CHECKBOXES:
        data[box] = form.get(box) in ("on", "yes", "true", "1")
    if not data["plan"]:
        data["plan"] = 0
    data["phone"] = data["phone"] or None
    try:
        return JoinIn.model_validate(data).model_dump(), {}
    except ValidationError as exc:
        errors = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            key = error.get("ctx", {}).get("error")
            key = str(key) if key else error["type"]
            if field == "plan":
                key = "plan"
            errors.setdefault(field, MESSAGES.get(key, MESSAGES["invalid"]))
        return None, errors


def plan_from_form(form):
    """Return (an unsaved or changed plan, {}) or (None, {field: message})."""
    errors = {}
    plan_id = form.get("plan_id", "")
    plan = MembershipPlan()
    if plan_id.isdigit():
        plan = MembershipPlan.get_or_none(MembershipPlan.id == int(plan_id))
    if plan is None:
        return None, {"form": _l("That plan no longer exists.")}
    name = form.get("name", "").strip()
    if not name or len(name) > 80:
        errors["name"] = _l("Give the plan a name of at most 80 characters.")
    fee = _money(form.get("monthly_fee", ""))
    if fee is None:
        errors["monthly_fee"] = _l(
            "Enter the monthly fee in dollars, like 89 or 89.50."
        )
    window = form.get("cancellation_window_days", "").strip()
    if not window.isdigit() or not 0 <= int(window) <= 365:
        errors["cancellation_window_days"] = _l("Enter a number of days from 0 to 365.")
    if errors:
        return None, errors
    plan.name = name
    plan.monthly_fee_cents = fee
    plan.includes = form.get("includes", "").strip()[:1000]
    plan.cancellation_window_days = int(window)
    plan.active = form.get("active") == "on"
    return plan, {}


def _money(text):
    text = text.strip().lstrip("$").replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or not 0 <= amount <= 100_000:
        return None
    return int((amount * 100).quantize(Decimal(1)))
