"""Signed tokens for the links in survey and prompt emails.

A survey link names its score only through a keyed code: the token carries
the survey's nonce and HMAC(nonce, score), so neither the address nor a
decoded token shows the score, and the server finds it by checking the
eleven possible codes.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from portal.db import utcnow
from portal.models import OneTimeToken

SURVEY = "survey-answer"
SHARE = "prompt-share"
CONTACT = "recovery-contact"
SURVEY_DAYS = 30
SHARE_DAYS = 90
CONTACT_DAYS = 30
SCORES = range(11)


class TokenError(Exception):
    """A link that cannot be used; reason is invalid, expired or used."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt, token, days):
    try:
        return _serializer(salt).loads(token, max_age=days * 86400)
    except SignatureExpired:
        raise TokenError("expired") from None
    except BadData:
        raise TokenError("invalid") from None


def _score_code(nonce, score):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{nonce}:{score}".encode(), hashlib.sha256).hexdigest()[:16]


def new_survey_nonce(survey_id, now=None):
    """Store the single-use nonce behind one survey's eleven links."""
    now = now or utcnow()
    nonce = secrets.token_urlsafe(24)
    OneTimeToken.create(
        nonce=nonce,
        purpose="survey",
        subject_kind="survey",
        subject_id=survey_id,
        created_at=now,
        expires_at=now + timedelta(days=SURVEY_DAYS),
    )
    return nonce


def survey_token(nonce, score):
    return _serializer(SURVEY).dumps({"n": nonce, "c": _score_code(nonce, score)})


def read_survey_token(token):
    """Return (nonce, score) of a genuine survey link, or raise TokenError."""
    payload = _load(SURVEY, token, SURVEY_DAYS)
    if not isinstance(payload, dict):
        raise TokenError("invalid")
    nonce, code = str(payload.get("n", "")), str(payload.get("c", ""))
    for score in SCORES:
        if hmac.compare_digest(code, _score_code(nonce, score)):
            return nonce, score
    raise TokenError("invalid")


def claim(nonce, now=None):
    """Use a nonce once; return its row, or raise TokenError saying why not."""
    now = now or utcnow()
    claimed = (
        OneTimeToken.update(used_at=now)
        .where(
            OneTimeToken.nonce == nonce,
            OneTimeToken.used_at.is_null(),
            OneTimeToken.expires_at > now,
        )
        .execute()
    )
    row = OneTimeToken.get_or_none(OneTimeToken.nonce == nonce)
    if claimed:
        return row
    if row is None:
        raise TokenError("invalid")
    raise TokenError("used" if row.used_at else "expired")


def share_token(prompt_id):
    return _serializer(SHARE).dumps(prompt_id)


def read_share_token(token):
    prompt_id = _load(SHARE, token, SHARE_DAYS)
    if not isinstance(prompt_id, int):
        raise TokenError("invalid")
    return prompt_id


def contact_token(alert_id):
    return _serializer(CONTACT).dumps(alert_id)


def read_contact_token(token):
    alert_id = _load(CONTACT, token, CONTACT_DAYS)
    if not isinstance(alert_id, int):
        raise TokenError("invalid")
    return alert_id
