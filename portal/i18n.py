"""Language choice: the member's preference, else the switch, else the browser."""

from flask import request
from flask_login import current_user

from portal.extensions import babel

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


def init_app(app):
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories="translations",
    )
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
