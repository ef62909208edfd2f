"""The practice's settings row, read once per request, and the practice's clock."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, g, has_request_context

from portal.models import PracticeSettings


def get_settings():
    """Return the practice settings, creating the row from the environment once."""
    if has_request_context() and "practice" in g:
        return g.practice
    settings = PracticeSettings.get_or_none(PracticeSettings.id == 1)
    if settings is None:
        config = current_app.config
        settings, _ = PracticeSettings.get_or_create(
            id=1,
            defaults={
                "name": config["PRACTICE_NAME"],
                "postal_address": config["PRACTICE_ADDRESS"],
                "timezone": config["PRACTICE_TIMEZONE"],
                "us_state": config["PRACTICE_STATE"],
            },
        )
    if has_request_context():
        g.practice = settings
    return settings


def practice_zone():
    """The practice's timezone; UTC while it has none or an unknown one."""
    try:
        return ZoneInfo(get_settings().timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def practice_today():
    """Today's date on the practice's wall clock, not the server's."""
    return datetime.now(UTC).astimezone(practice_zone()).date()
