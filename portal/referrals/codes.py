"""Referral codes: random, unambiguous, and carrying nothing about the member."""

import re
import secrets

# No 0/O, 1/I/L or U/V: codes are read off printed cards and typed in by hand.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 10
_VALID = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code():
    """Return a fresh code: 10 characters, about 48 bits of randomness."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed):
    """Turn what a person typed into the stored form, or None if it cannot be one.

    Spaces and dashes are dropped and case is ignored; look-alike characters are
    not in the alphabet, so a code containing one is simply not valid.
    """
    if not typed:
        return None
    cleaned = re.sub(r"[\s\-]", "", typed).upper()
    return cleaned if _VALID.match(cleaned) else None


def looks_valid(code):
    return bool(code) and bool(_VALID.match(code))
