"""Where a stored email goes: a folder of .eml files, or SendGrid."""

import http.client
import os
import threading
import urllib.error
from datetime import UTC
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from flask import current_app
from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient

from portal.practice import get_settings

# Long headers (an unsubscribe link) stay on one line, within RFC 5322's limit.
EML_POLICY = policy.default.clone(max_line_length=998)


class DeliveryError(Exception):
    """A failed attempt; retry says whether trying again may succeed."""

    def __init__(self, message, retry):
        super().__init__(message)
        self.retry = retry


def idempotency_key(message):
    """Name the row the same way on every attempt, so a provider can spot repeats."""
    return f"outbox-{message.id}-{message.created_at:%Y%m%d%H%M%S}"


def sender():
    settings = get_settings()
    # A header holds one line: a line break typed into the practice's name
    # would stop every email (and could add a header), so it becomes a space.
    name = " ".join((settings.sender_name or settings.name or "").split())
    reply_to = "".join((settings.reply_to or "").split())
    return name, current_app.config["MAIL_FROM"], reply_to


def deliver(message):
    """Hand one message to the configured backend; return the provider's id."""
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "file":
        return write_file(message)
    if backend == "sendgrid":
        return send_with_sendgrid(message)
    raise DeliveryError(f"unknown MAIL_BACKEND {backend!r}", retry=False)


def as_mime(message):
    """Build the message as MIME: a plain-text part and an HTML alternative."""
    name, address, reply_to = sender()
    mime = EmailMessage()
    mime["From"] = formataddr((name, address)) if name else address
    mime["To"] = message.to_email
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(message.created_at.replace(tzinfo=UTC), usegmt=True)
    mime["Message-ID"] = make_msgid(idstring=idempotency_key(message))
    if reply_to:
        mime["Reply-To"] = reply_to
    for header, value in (message.headers or {}).items():
        mime[header] = value
    mime["X-Idempotency-Key"] = idempotency_key(message)
    mime.set_content(message.text_body)
    mime.add_alternative(message.html_body, subtype="html")
    return mime


def write_file(message):
    folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{message.created_at:%Y%m%dT%H%M%S}-{message.id:08d}.eml"
    # Written whole under a private name, then linked into place: a worker
    # killed mid-write leaves no half message under the real name to block the
    # retry, and a second attempt for the same row links nothing.
    partial = folder / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        partial.write_bytes(as_mime(message).as_bytes(policy=EML_POLICY))
        os.link(partial, path)
    except FileExistsError:
        pass
    except OSError as exc:
        raise DeliveryError(
            f"could not write the message file: {exc}", retry=True
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    return path.name


def sendgrid_body(message):
    """Build the JSON body of a v3 mail/send call for one message."""
    name, address, reply_to = sender()
    key = idempotency_key(message)
    body = {
        "personalizations": [{"to": [{"email": message.to_email}]}],
        "from": {"email": address, **({"name": name} if name else {})},
        "subject": message.subject,
        "content": [
            {"type": "text/plain", "value": message.text_body},
            {"type": "text/html", "value": message.html_body},
        ],
        "headers": {**(message.headers or {}), "X-Idempotency-Key": key},
        "custom_args": {"outbox_id": str(message.id), "idempotency_key": key},
        "categories": [message.kind],
        # No pixels, and no rewritten links: a rewritten sign-in link would break.
        "tracking_settings": {
            "click_tracking": {"enable": False, "enable_text": False},
            "open_tracking": {"enable": False},
        },
    }
    if reply_to:
        body["reply_to"] = {"email": reply_to}
    return body


def send_with_sendgrid(message):
    config = current_app.config
    client = SendGridAPIClient(config["SENDGRID_API_KEY"], host=config["SENDGRID_HOST"])
    client.client.timeout = config["SENDGRID_TIMEOUT"]
    try:
        response = client.send(sendgrid_body(message))
    except HTTPError as exc:
        retry = exc.status_code == 429 or exc.status_code >= 500
        raise DeliveryError(
            f"SendGrid answered {exc.status_code}", retry=retry
        ) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        # Timeouts, refused and dropped connections are all worth another try.
        reason = getattr(exc, "reason", exc)
        timed_out = isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError)
        kind = "timed out" if timed_out else "connection failed"
        raise DeliveryError(
            f"SendGrid {kind}: {type(exc).__name__}", retry=True
        ) from exc
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"SendGrid answered {response.status_code}", retry=True)
    return response.headers.get("X-Message-Id", "") if response.headers else ""
