"""The program document for counsel, built from the live configuration.

The Markdown is the one source: the HTML version is that Markdown rendered
by markdown-it-py inside a page with print styles.
"""

import base64
import hashlib
import logging
from datetime import date
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from jinja2 import ChainableUndefined
from markdown_it import MarkdownIt
from peewee import fn

from portal.compliance.auditlog import verification
from portal.db import utcnow
from portal.models import CatalogItem, Member, Recognition
from portal.practice import get_settings
from portal.recognition import catalog, ledger
from portal.recognition.versions import active_version, history, pending_version

log = logging.getLogger("portal")

FORMATS = ("html", "md")
# How the portal sends each message (send_email's marketing flag): marketing
# mail carries the unsubscribe line, these do not.
TRANSACTIONAL = {
    "recognition_thanks",
    "recovery_alerts",
    "sign_in",
    "signup_confirmation",
    "survey",
}
# Values a template cannot show as a [placeholder]: dates and counts.
SAMPLE_VALUES = {
    "survey": {
        "visited_on": date(2026, 3, 5),
        "links": [(score, f"[single-use link for {score}]") for score in range(11)],
    },
    "recovery_alerts": {
        "alerts": 2,
        "wants_contact": 1,
        "alerts_url": "[link to the alerts page]",
    },
}


class Placeholder(ChainableUndefined):
    """Show a missing value as [name] so a sample message reads as a form."""

    def __str__(self):
        return f"[{self._undefined_name}]"

    def __call__(self, *args, **kwargs):
        return self


def build_context():
    """Gather every fact the document states, from the database as it is now."""
    settings = get_settings()
    version = active_version()
    return {
        "settings": settings,
        "generated_at": utcnow(),
        "version": version,
        "rules": version.rules if version else None,
        "pending": pending_version(),
        "versions": history(),
        "items": catalog.items(),
        "payer_mix": _counts(Member.payer_category),
        "member_states": _counts(Member.us_state),
        "year": ledger.practice_year(),
        "spend": _spend(),
        "templates": sample_messages(),
        "audit": verification(),
        "retention": _retention(settings),
    }


def _counts(column):
    query = (
        Member.select(column, fn.COUNT(Member.id))
        .where(Member.erased_at.is_null())
        .group_by(column)
        .order_by(fn.COUNT(Member.id).desc())
        .tuples()
    )
    return [(value or "unknown", count) for value, count in query]


def _spend():
    year = ledger.practice_year()
    rows = (
        Recognition.select(Recognition.status, fn.COUNT(Recognition.id))
        .where(Recognition.year == year)
        .group_by(Recognition.status)
        .tuples()
    )
    counts = dict(rows)
    value = (
        Recognition.select(fn.COALESCE(fn.SUM(Recognition.value_cents), 0))
        .where(Recognition.year == year, Recognition.status.in_(ledger.COUNTED))
        .scalar()
    )
    return {"counts": counts, "value_cents": int(value or 0)}


def _retention(settings):
    return {
        "clicks_days": settings.click_retention_days,
        "invitation_address_days": settings.invitation_address_days,
    }


def sample_messages():
    """Render every email template as it is sent, with sample values."""
    folder = Path(current_app.template_folder) / "email"
    names = sorted(p.stem for p in folder.glob("*.txt") if not p.stem.startswith("_"))
    return [_sample(name) for name in names]


def _sample(name):
    env = current_app.jinja_env.overlay(undefined=Placeholder)
    values = {
        "practice": get_settings(),
        "unsubscribe_url": "[unsubscribe link]",
        "marketing": name not in TRANSACTIONAL,
        "language": "en",
        **_sample_values(name),
    }
    try:
        with force_locale("en"):
            template = env.get_template(f"email/{name}.txt")
            context = template.new_context(dict(values))
            subject = "".join(template.blocks["subject"](context))
            text = template.render(values)
    except Exception:
        log.exception("program document could not render email template %s", name)
        subject, text = "", "(this template could not be rendered with sample values)"
    return {"name": name, "subject": " ".join(subject.split()), "text": text.strip()}


def _sample_values(name):
    if name != "recognition_thanks":
        return dict(SAMPLE_VALUES.get(name, {}))
    item = (
        CatalogItem.select()
        .where(CatalogItem.kind == "thank_you_note", CatalogItem.active == True)  # noqa: E712
        .first()
    )
    return {
        "first_name": "[first name]",
        "item_name": item.name if item else "[catalog item]",
        "needs_fulfilment": False,
        "dashboard_url": "[link to the member's thank-yous]",
    }


def markdown():
    """Return the program document as Markdown."""
    with force_locale("en"):
        return render_template("compliance/program.md", **build_context())


def _renderer():
    # Raw HTML in the Markdown is shown as text, never passed through.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def html_body(text=None):
    return _renderer().render(text if text is not None else markdown())


def scrollable_tables(html):
    """Wrap each table so a phone can scroll it sideways, by keyboard too."""
    opening = '<div class="table-wrap" tabindex="0" role="region" aria-label="{}">'
    label = gettext("Table")
    parts = html.split("<table>")
    wrapped = [parts[0]]
    for part in parts[1:]:
        wrapped.append(
            opening.format(label)
            + "<table>"
            + part.replace("</table>", "</table></div>", 1)
        )
    return "".join(wrapped)


def html_file():
    """Return the standalone HTML document and its style's CSP hash."""
    body = html_body()
    with force_locale("en"):
        styles = render_template("compliance/document.css")
        page = render_template(
            "compliance/document_file.html",
            body=body,
            styles=styles,
            settings=get_settings(),
        )
    digest = base64.b64encode(hashlib.sha256(styles.encode()).digest()).decode()
    return page, f"'sha256-{digest}'"
