"""Render the referral pages to plain files any static host or CDN can serve.

The pages use the same intro and sign-up form templates as the portal's own
referral pages; their form posts to PUBLIC_BASE_URL/join, and a small script
file copies the referral code from the address into the form.

Layout of the output::

    index.html              the general page, English
    <slug>/index.html       one page per service line, English
    es/index.html, es/<slug>/index.html   the same in Spanish
    assets/site.css, assets/brand.css, assets/referrals.js
"""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from portal.landing import content
from portal.models import Location, ServiceLine
from portal.practice import get_settings
from portal.referrals.origins import origin_of

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
ASSETS = {
    "site.css": STATIC / "css" / "portal.css",
    "referrals.js": STATIC / "js" / "referrals.js",
}
DEFAULT_LANGUAGE = "en"


@dataclass
class BuildReport:
    pages: list = field(default_factory=list)


def _lines():
    return list(
        ServiceLine.select()
        .where(ServiceLine.active == True, ServiceLine.referral_enabled == True)  # noqa: E712
        .order_by(ServiceLine.position, ServiceLine.name)
    )


def _locations():
    return list(
        Location.select().where(Location.active == True).order_by(Location.name)  # noqa: E712
    )


def _relative_path(slug, language):
    parts = [] if language == DEFAULT_LANGUAGE else [language]
    if slug:
        parts.append(slug)
    return Path(*parts, "index.html") if parts else Path("index.html")


def _prefix(path):
    return "../" * (len(path.parts) - 1)


def _write_assets(out):
    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for name, source in ASSETS.items():
        shutil.copyfile(source, assets / name)
    settings = get_settings()
    brand = render_template(
        "main/brand.css",
        primary=settings.brand_primary or "#0b5563",
        accent=settings.brand_accent or "#f2b134",
    )
    (assets / "brand.css").write_text(brand, encoding="utf-8")


def _render_page(line, language, lines, locations, path, languages):
    portal = current_app.config["PUBLIC_BASE_URL"]
    slug = line.slug if line else None
    with force_locale(language):
        page = content.page_for(slug, language, line)
        return render_template(
            "landing/static_page.html",
            page=page,
            line=line,
            values={"service_line": slug or ""},
            errors={},
            notice=None,
            referrer_name=None,
            form_action=f"{portal}/join",
            portal_origin=origin_of(portal),
            with_csrf=False,
            fill_from_address=True,
            language=language,
            service_lines=lines,
            locations=locations,
            prefix=_prefix(path),
            alternates={
                lang: _prefix(path) + _relative_path(slug, lang).as_posix()
                for lang in languages
            },
        )


def build(out, languages=content.LANGUAGES):
    """Write every referral page and its assets under out; return a report."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _write_assets(out)
    lines, locations = _lines(), _locations()
    report = BuildReport()
    with current_app.test_request_context(
        base_url=current_app.config["PUBLIC_BASE_URL"]
    ):
        for language in languages:
            for line in [None, *lines]:
                path = _relative_path(line.slug if line else None, language)
                html = _render_page(line, language, lines, locations, path, languages)
                target = out / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(html, encoding="utf-8")
                report.pages.append(path.as_posix())
    return report
