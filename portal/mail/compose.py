"""Render an email from its templates and store it as an outbox row."""

import logging

from flask import current_app, render_template
from flask_babel import force_locale

from portal.db import database, write_transaction
from portal.i18n import LANGUAGES
from portal.mail import unsubscribe
from portal.models import OutboxMessage, Suppression

log = logging.getLogger("portal")

ONE_CLICK = "List-Unsubscribe=One-Click"


def send_email(to_email, template, context, *, kind, marketing=True, language="en"):
    """Store one email for delivery and return its OutboxMessage row."""
    to_email = normalise(to_email)
    language = language if language in LANGUAGES else "en"

    with write_transaction():
        message = OutboxMessage.create(
            kind=kind,
            marketing=marketing,
            to_email=to_email,
            subject="",
            text_body="",
            html_body="",
            language=language,
            status="suppressed" if marketing and is_suppressed(to_email) else "pending",
        )
        url = unsubscribe.url_for_message(message.id)
        subject, text, html = render(template, context, language, url, marketing)
        message.subject = subject
        message.text_body = text
        message.html_body = html
        message.headers = {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": ONE_CLICK,
        }
        message.save()
        log.info(
            "outbox stored message=%s kind=%s status=%s",
            message.id,
            kind,
            message.status,
        )
        if message.status == "pending":
            database.after_commit(lambda: enqueue(message.id))
    return message


def render(template, context, language, unsubscribe_url, marketing):
    """Return (subject, text, html) for a template in a language."""
    values = dict(context)
    values.update(
        unsubscribe_url=unsubscribe_url, marketing=marketing, language=language
    )
    with force_locale(language):
        subject = _subject(f"email/{template}.txt", values)
        text = render_template(f"email/{template}.txt", **values)
        html = render_template(f"email/{template}.html", **values)
    if not subject:
        raise ValueError(f"email/{template}.txt has no {{% block subject %}}")
    return subject, text.strip() + "\n", html


def _subject(name, values):
    template = current_app.jinja_env.get_template(name)
    if "subject" not in template.blocks:
        return ""
    context = dict(values)
    current_app.update_template_context(context)
    parts = template.blocks["subject"](template.new_context(context))
    # A subject is one line: a header cannot carry a line break.
    return " ".join("".join(parts).split())


def enqueue(message_id):
    """Queue delivery; a failure here is logged and left for the sweep."""
    from portal.mail import tasks  # the task module imports this one

    try:
        tasks.deliver_message(message_id)
    except Exception:
        log.exception(
            "outbox enqueue failed message=%s; the sweep will send it", message_id
        )


def normalise(email):
    return (email or "").strip().lower()


def is_suppressed(email):
    return Suppression.select().where(Suppression.email == normalise(email)).exists()
