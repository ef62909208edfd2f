"""Referral page sources: Markdown with a small front matter, per service line.

``landing_pages/<slug>/<language>.md`` (``general`` for the page of no
particular service line) starts with a front matter block::

    ---
    title: Primary care that has time for you
    summary: One sentence under the title.
    ---
    The body, in Markdown. {practice} is replaced by the practice's name.

Raw HTML in a source is not rendered, so a page cannot carry a script.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask_babel import gettext
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from portal.practice import get_settings

SOURCES = Path(__file__).resolve().parent.parent.parent / "landing_pages"
GENERAL = "general"
LANGUAGES = ("en", "es")
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


@dataclass(frozen=True)
class Source:
    title: str
    summary: str
    body: str  # Markdown


@dataclass(frozen=True)
class Page:
    title: str
    summary: str
    html: Markup


def parse(text):
    """Split a source into its front matter fields and its Markdown body."""
    meta, body = {}, text
    if text.startswith("---"):
        head, sep, rest = text[3:].partition("\n---")
        if sep:
            for line in head.strip().splitlines():
                key, colon, value = line.partition(":")
                if colon and key.strip():
                    meta[key.strip().lower()] = value.strip()
            body = rest.split("\n", 1)[1] if "\n" in rest else ""
    return Source(meta.get("title", ""), meta.get("summary", ""), body.strip())


@lru_cache(maxsize=64)
def _read(path, mtime):
    return parse(path.read_text(encoding="utf-8"))


def load(slug, language, root=None):
    """Return the Source for a slug and language (English as fallback) or None."""
    root = Path(root or SOURCES)
    for lang in dict.fromkeys((language, "en")):
        path = root / (slug or GENERAL) / f"{lang}.md"
        if path.is_file():
            return _read(path, path.stat().st_mtime)
    return None


def render_markdown(text, practice_name):
    return Markup(_markdown.render(text.replace("{practice}", practice_name)))


def page_for(slug, language, line=None, root=None):
    """Build the page text: the source if there is one, else the line's description."""
    name = get_settings().name or gettext("our practice")
    source = load(slug, language, root)
    if source is not None:
        return Page(
            title=source.title.replace("{practice}", name),
            summary=source.summary.replace("{practice}", name),
            html=render_markdown(source.body, name),
        )
    if line is not None:
        body = (
            Markup("<p>%s</p>") % escape(line.description) if line.description else ""
        )
        return Page(line.name, "", Markup(body))
    return Page(gettext("Welcome to %(name)s", name=name), "", Markup(""))
