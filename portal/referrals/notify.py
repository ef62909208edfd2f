"""The confirmation email to a person who signed up, only if they agreed to email."""

from portal.mail import send_email
from portal.practice import get_settings


def confirm(signup):
    """Queue the confirmation; return the outbox row, or None without consent."""
    if not (signup.email and signup.email_consent):
        return None
    settings = get_settings()
    return send_email(
        signup.email,
        "signup_confirmation",
        {
            "first_name": signup.first_name,
            "service_line": signup.service_line.name if signup.service_line else "",
            "help_phone": settings.help_phone,
            "help_email": settings.help_email,
        },
        kind="signup_confirmation",
        marketing=False,
        language=signup.language,
    )
