"""Language choice and the message catalogs.

The language is the one chosen with the switch, else the member's preference,
else the browser's Accept-Language. Catalogs are kept as .po sources in
portal/translations and compiled into the instance folder when the app starts,
so no compiled file is kept in the repository or goes stale.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import request
from flask_login import current_user

from portal.extensions import babel

SOURCES = Path(__file__).resolve().parent / "translations"

LANGUAGES = {"en": "English", "es": "Español"}
LANGUAGE_COOKIE = "lang"


def select_locale():
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    preferred = getattr(current_user, "preferred_language", None)
    if preferred in LANGUAGES:
        return preferred
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def compile_catalogs(target):
    """Compile every .po under SOURCES into target when it is newer; return target."""
    for source in SOURCES.glob("*/LC_MESSAGES/messages.po"):
        compiled = target / source.relative_to(SOURCES).with_suffix(".mo")
        if compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime:
            continue
        compiled.parent.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as po:
            catalog = read_po(po)
        partial = compiled.with_suffix(".tmp")
        with partial.open("wb") as mo:
            write_mo(mo, catalog)
        partial.replace(compiled)  # atomic, so a second process never reads half
    return target


def init_app(app):
    compiled = compile_catalogs(Path(app.instance_path) / "translations")
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(compiled),
    )
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
