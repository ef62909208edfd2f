"""Helpers for tests that read the outbox: .eml files and their links."""

import email
import re
from email import policy
from pathlib import Path

LINK = re.compile(r"https?://\S+/login/[A-Za-z0-9._-]+")


def eml_files(app):
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def read_eml(path):
    return email.message_from_bytes(Path(path).read_bytes(), policy=policy.default)


def parts(message):
    """Return (plain text, html) of a parsed message."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def sign_in_link(message):
    """Return the sign-in link in a message's plain-text part."""
    text, _ = parts(message)
    found = LINK.search(text)
    assert found, "no sign-in link in the message"
    return found.group(0)


def last_sign_in_link(app):
    files = eml_files(app)
    assert files, "no message in the outbox"
    return sign_in_link(read_eml(files[-1]))
