"""API keys: shown once, stored as a hash, scoped, revocable, optionally signed."""

import hashlib
import hmac
import secrets
import time
from functools import wraps

from flask import g, request

from portal.db import utcnow
from portal.models import ApiKey

SCOPES = ("ingest", "export")
SIGNATURE_HEADER = "X-Portal-Signature"
MAX_SKEW_SECONDS = 300


class ApiError(Exception):
    """An API failure answered with the shared JSON error envelope."""

    def __init__(self, status, code, message, details=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def _hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def create(name, scope, signed=False):
    """Make a key; return (the key in clear, shown only now; its row)."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    prefix = secrets.token_hex(4)
    key = f"ap_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey.create(
        name=name,
        prefix=prefix,
        key_hash=_hash(key),
        scope=scope,
        signing_secret=secrets.token_hex(32) if signed else "",
    )
    return key, row


def revoke(prefix):
    return (
        ApiKey.update(revoked_at=utcnow())
        .where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_null())
        .execute()
    )


def sign(secret, body, timestamp=None):
    """Return the signature header value for a body (what a sender computes)."""
    timestamp = int(timestamp if timestamp is not None else time.time())
    digest = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def _check_signature(secret, body, header):
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        raise ApiError(
            401, "bad_signature", "The signature header is malformed."
        ) from None
    if abs(time.time() - timestamp) > MAX_SKEW_SECONDS:
        raise ApiError(401, "stale_signature", "The signature is too old or too new.")
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, parts.get("v1", "")):
        raise ApiError(401, "bad_signature", "The signature does not match the body.")


def authenticate(scope):
    """Return the key row for this request, or raise ApiError."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise ApiError(
            401, "unauthorized", "Send an API key as 'Authorization: Bearer'."
        )
    key = ApiKey.get_or_none(ApiKey.key_hash == _hash(header[7:].strip()))
    if key is None or key.revoked_at is not None:
        raise ApiError(401, "unauthorized", "The API key is unknown or revoked.")
    if key.scope != scope:
        raise ApiError(403, "forbidden", f"This endpoint needs a key of scope {scope}.")
    if key.signing_secret:
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            raise ApiError(401, "unsigned", f"This key requires {SIGNATURE_HEADER}.")
        _check_signature(key.signing_secret, request.get_data(), signature)
    return key


def key_required(scope):
    """Guard an API view: a valid, unrevoked key of this scope (and signature)."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            g.api_key = authenticate(scope)
            ApiKey.update(last_used_at=utcnow()).where(
                ApiKey.id == g.api_key.id
            ).execute()
            return view(*args, **kwargs)

        guarded.api_scope = scope
        return guarded

    return decorator
