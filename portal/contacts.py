"""Contact fields: email addresses and phone numbers in one normal form.

Kept apart from any area so every area (members, sign-ups, invitations, the
API) can import it without importing another area's views.
"""

from typing import Annotated

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator


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


def _checked(normalise, code):
    # A form maps the code ("email", "phone") to a message in the reader's
    # language; the library's own wording stays out of pages and API answers.
    def check(value):
        try:
            return normalise(value)
        except ValueError:
            raise ValueError(code) from None

    return check


#: pydantic field types that normalise a contact field or fail with its code.
EmailAddress = Annotated[str, AfterValidator(_checked(normalise_email, "email"))]
PhoneNumber = Annotated[str, AfterValidator(_checked(normalise_phone, "phone"))]
