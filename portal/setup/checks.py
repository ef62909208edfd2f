"""Check what a practice describes about itself: values in, (clean, errors) out.

The setup pages and ``portal setup --config`` share these checks, so a field
is refused for the same reason in both; errors are keyed by the field's name
and read as "<name>: <message>" on the command line.
"""

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import available_timezones

from portal.contacts import normalise_email, normalise_phone
from portal.referrals.origins import origin_of
from portal.setup.facts import KINDS, SLUG, US_STATES, looks_sensitive, slugify

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
MIN_CONTRAST = 4.5
TRUE_WORDS = {"1", "on", "yes", "true", "y"}
REQUIRED = "is required"
# "default" names the practice-wide prompt rule beside the service lines'.
RESERVED_SLUGS = ("default", "thanks")


@lru_cache(maxsize=1)
def timezones():
    return frozenset(available_timezones())


def _text(data, key, errors, limit, required=False):
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[key] = "must be text"
        return ""
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not value:
        errors[key] = REQUIRED
    elif len(value) > limit:
        errors[key] = f"must be at most {limit} characters"
    return value


def flag(value, default=False):
    """Read a checkbox or a TOML boolean."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in TRUE_WORDS


def _flag(data, key, errors, default=False):
    value = data.get(key)
    if value is not None and not isinstance(value, (bool, str)):
        errors[key] = "must be true or false"
        return default
    return flag(value, default)


def _luminance(colour):
    def channel(hex_pair):
        value = int(hex_pair, 16) / 255
        if value <= 0.04045:
            return value / 12.92
        return ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    """Return the WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def check_practice(data):
    """Check the practice's own details; return (values, errors)."""
    errors = {}
    values = {
        "name": _text(data, "name", errors, 120, required=True),
        "postal_address": _text(data, "postal_address", errors, 300, required=True),
        "timezone": _text(data, "timezone", errors, 64, required=True),
        "us_state": _text(data, "us_state", errors, 2, required=True).upper(),
        "kind": _text(data, "kind", errors, 40) or "other",
        "membership_enabled": _flag(data, "membership_enabled", errors),
        "help_phone": _text(data, "help_phone", errors, 40),
        "help_email": _text(data, "help_email", errors, 254),
    }
    if values["timezone"] and "timezone" not in errors:
        if values["timezone"] not in timezones():
            errors["timezone"] = "must be a time zone name like America/Chicago"
    if values["us_state"] and "us_state" not in errors:
        if values["us_state"] not in US_STATES:
            errors["us_state"] = "must be a two-letter US state code like NC"
    if values["kind"] not in KINDS:
        errors["kind"] = f"must be one of {', '.join(KINDS)}"
    _contact(values, errors, "help_phone", normalise_phone)
    _contact(values, errors, "help_email", normalise_email)
    return values, errors


def _contact(values, errors, key, normalise):
    if values[key] and key not in errors:
        try:
            values[key] = normalise(values[key])
        except ValueError as exc:
            errors[key] = str(exc)


def colour_problem(value):
    """Say why white text cannot sit on this brand colour, or return None."""
    if not HEX_COLOUR.match(value or ""):
        return "must be a colour like #0b5563"
    ratio = contrast_ratio(WHITE, value)
    if ratio < MIN_CONTRAST:
        return (
            f"white text on {value.lower()} has a contrast ratio of "
            f"{ratio:.2f}:1; it needs at least {MIN_CONTRAST}:1, so choose a "
            "darker colour"
        )
    return None


def check_branding(data):
    """Check colours, sender name and reply-to address; return (values, errors)."""
    errors = {}
    values = {
        "primary": _text(data, "primary", errors, 7).lower() or "#0b5563",
        "accent": _text(data, "accent", errors, 7).lower() or "#f2b134",
        "sender_name": _text(data, "sender_name", errors, 80),
        "reply_to": _text(data, "reply_to", errors, 254),
    }
    if "primary" not in errors:
        problem = colour_problem(values["primary"])
        if problem:
            errors["primary"] = problem
    if "accent" not in errors and not HEX_COLOUR.match(values["accent"]):
        errors["accent"] = "must be a colour like #f2b134"
    if "sender_name" not in errors and re.search(r"[<>@\"]", values["sender_name"]):
        errors["sender_name"] = "must be a plain name, without <, >, @ or quotes"
    _contact(values, errors, "reply_to", normalise_email)
    return values, errors


def check_origins(text):
    """Read the sites allowed to post sign-ups, one origin a line; (text, errors)."""
    origins, bad = [], []
    for item in (text or "").replace(",", "\n").split():
        origin = origin_of(item)
        if origin and origin.rstrip("/") == item.strip().lower().rstrip("/"):
            origins.append(origin)
        else:
            bad.append(item)
    if bad:
        shown = ", ".join(bad[:3])
        return text, {
            "allowed_origins": f"{shown}: give each site as https://host, no path"
        }
    return "\n".join(dict.fromkeys(origins)), {}


def check_service_line(data):
    """Check one service line; the slug comes from the name when not given."""
    errors = {}
    values = {
        "name": _text(data, "name", errors, 80, required=True),
        "slug": _text(data, "slug", errors, 60).lower(),
        "description": _text(data, "description", errors, 1000),
    }
    values["slug"] = values["slug"] or slugify(values["name"])
    if values["name"] and "slug" not in errors and not SLUG.match(values["slug"]):
        errors["slug"] = "must be lower-case letters, digits and dashes"
    elif values["slug"] in RESERVED_SLUGS:
        errors["slug"] = f"{values['slug']} is reserved; choose another"
    values["sensitive"] = _flag(
        data, "sensitive", errors, default=looks_sensitive(values["name"])
    )
    values["referral_enabled"] = _flag(data, "referral_enabled", errors, True)
    return values, errors


def check_location(data):
    """Check one location; the slug comes from the name when not given."""
    errors = {}
    values = {
        "name": _text(data, "name", errors, 80, required=True),
        "slug": _text(data, "slug", errors, 60).lower(),
        "address": _text(data, "address", errors, 300),
    }
    values["slug"] = values["slug"] or slugify(values["name"])
    if values["name"] and "slug" not in errors and not SLUG.match(values["slug"]):
        errors["slug"] = "must be lower-case letters, digits and dashes"
    return values, errors


def check_plan(data):
    """Check one membership plan (fee in dollars); return (values, errors)."""
    errors = {}
    values = {
        "name": _text(data, "name", errors, 80, required=True),
        "includes": _text(data, "includes", errors, 1000),
        "active": _flag(data, "active", errors, True),
    }
    values["monthly_fee_cents"] = _cents(data.get("monthly_fee"), errors)
    window = data.get("cancellation_window_days", 30)
    if (
        isinstance(window, bool)
        or not isinstance(window, int)
        or not 0 <= window <= 365
    ):
        errors["cancellation_window_days"] = "must be a whole number from 0 to 365"
    else:
        values["cancellation_window_days"] = window
    return values, errors


def _cents(raw, errors):
    if raw is None or raw == "":
        errors["monthly_fee"] = REQUIRED
        return 0
    try:
        amount = Decimal(str(raw).strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        amount = None
    if isinstance(raw, bool) or amount is None or not amount.is_finite():
        errors["monthly_fee"] = "must be an amount in dollars, like 89 or 89.50"
        return 0
    if not 0 <= amount <= 100_000 or amount != amount.quantize(Decimal("0.01")):
        errors["monthly_fee"] = "must be from 0 to 100000 with at most two decimals"
        return 0
    return int(amount * 100)


def unique(items, key, label):
    """Return {index: message} for entries whose key repeats an earlier one."""
    seen, repeats = {}, {}
    for index, item in enumerate(items):
        value = (item.get(key) or "").lower()
        if not value:
            continue
        if value in seen:
            repeats[index] = f"repeats the {label} of entry {seen[value] + 1}"
        else:
            seen[value] = index
    return repeats
