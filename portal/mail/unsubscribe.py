"""Signed one-click unsubscribe links and the suppressions they record.

The link names the outbox message, never the address, so no email address
appears in a URL; the address is read from the stored row.
"""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.db import write_transaction
from portal.models import OutboxMessage, Suppression

SALT = "portal.unsubscribe"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for_message(message_id):
    return _serializer().dumps(int(message_id))


def url_for_message(message_id):
    from portal.web import external_url

    return external_url("accounts.unsubscribe", token=token_for_message(message_id))


def message_for_token(token):
    """Return the outbox row the token was made for, or None if it is not valid."""
    try:
        message_id = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(message_id, int):
        return None
    return OutboxMessage.get_or_none(OutboxMessage.id == message_id)


def suppress(email, reason="unsubscribe", source="link"):
    """Record that an address wants no more marketing email; return True if new."""
    email = (email or "").strip().lower()
    with write_transaction():
        if Suppression.select().where(Suppression.email == email).exists():
            return False
        Suppression.create(email=email, reason=reason, source=source)
        # Mail already queued for the address must not go out either.
        OutboxMessage.update(status="suppressed").where(
            OutboxMessage.to_email == email,
            OutboxMessage.marketing == True,  # noqa: E712
            OutboxMessage.status == "pending",
        ).execute()
    return True
