"""Language choice and the message catalogs.

The language is the one chosen with the switch, else the member's preference,
else the browser's Accept-Language. Catalogs are kept as .po sources in
portal/translations and compiled into the instance folder when the app starts,
so no compiled file is kept in the repository or goes stale.
"""

from pathlib import Path

from babel.core import Locale
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent, parse_pattern
from flask import has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from portal.extensions import babel
from portal.practice import practice_zone

SOURCES = Path(__file__).resolve().parent / "translations"

LANGUAGES = {"en": "English", "es": "Español"}
LANGUAGE_COOKIE = "lang"
# Patients and staff are in the United States whatever their language, so
# money, numbers and times are written the US way in each: "$1,234.50" and
# "3:05 p.m." in Spanish too, never "1.234,50 US$" or "15:05".
REGIONS = {"en": "en_US", "es": "es_US"}


def select_locale():
    if not has_request_context():
        return "en"  # a command or task: mail picks its language with force_locale
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


def formatting_locale():
    """Return the locale numbers and times are written in: the language, in the US."""
    language = get_locale() or Locale.parse("en")
    return Locale.parse(REGIONS.get(language.language, str(language)))


def usd(cents, whole=False):
    """Write cents as US dollars the way the current language writes money."""
    if cents is None:
        return "—"
    locale = formatting_locale()
    pattern = parse_pattern(locale.currency_formats["standard"].pattern)
    if whole:
        pattern.frac_prec = (0, 0)
    return pattern.apply(cents / 100, locale, currency="USD", currency_digits=not whole)


def when(moment):
    """Write a date and time the current language's way, to the minute.

    A naive value is UTC like every stored column; an aware one is shown on
    its own clock (the practice's, when a view converted it).
    """
    if moment is None:
        return "—"
    locale = formatting_locale()
    day = format_date(moment, "medium", locale=locale)
    hour = format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale)
    return str(locale.datetime_formats["medium"]).format(hour, day)


def decimal(number, pattern=None):
    return format_decimal(number, pattern, locale=formatting_locale())


def percent(number, pattern=None):
    return format_percent(number, pattern, locale=formatting_locale())


def usd_whole(cents):
    return usd(cents, whole=True)


def init_app(app):
    compiled = compile_catalogs(Path(app.instance_path) / "translations")
    babel.init_app(
        app,
        locale_selector=select_locale,
        # Stored times are UTC; pages and emails show them on the practice's clock.
        timezone_selector=lambda: practice_zone().key,
        default_translation_directories=str(compiled),
    )
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.filters["usd"] = usd
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["decimalformat"] = decimal
    app.jinja_env.filters["percentformat"] = percent
