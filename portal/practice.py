"""The practice's settings row, read once per request."""

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
