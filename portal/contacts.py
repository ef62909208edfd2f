"""Contact fields: email addresses and phone numbers in one normal form.

Kept apart from any area so every area (members, sign-ups, invitations, the
API) can import it without importing another area's views.
"""

import phonenumbers
from email_validator import EmailNotValidError, validate_email


def normalise_email(raw):
    """Return the normalised address, or raise ValueError with a reason."""
    try:
        return validate_email(raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc


def normalise_phone(raw, region="US"):
    """Return the number in E.164, or raise ValueError with a reason."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
