import re

from flask import (
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
)
from flask_login import current_user

from portal.db import database
from portal.i18n import LANGUAGE_COOKIE, LANGUAGES
from portal.main import bp
from portal.models import Member
from portal.practice import get_settings
from portal.setup import gate as setup_gate
from portal.web import safe_next

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@bp.get("/")
def home():
    unfinished = setup_gate.first_visit()
    if unfinished is not None:
        return unfinished
    return render_template("main/home.html")


@bp.get("/healthz")
def healthz():
    database.execute_sql("SELECT 1")
    return jsonify(status="ok")


@bp.post("/language")
def set_language():
    """Remember the chosen language in a cookie and go back where the person was."""
    language = request.form.get("language", "en")
    if language not in LANGUAGES:
        language = "en"
    if getattr(current_user, "is_member", False):
        member = current_user.member
        Member.update(preferred_language=language).where(
            Member.id == member.id
        ).execute()
    response = make_response(redirect(safe_next(request.form.get("next"))))
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 86400,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.get("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.get("/language-help")
def language_help():
    return render_template("main/language_help.html")


@bp.get("/brand.css")
def brand_css():
    """Serve the practice's colours as CSS, so no page needs inline styles."""
    settings = get_settings()
    css = render_template(
        "main/brand.css",
        primary=_colour(settings.brand_primary, "#0b5563"),
        accent=_colour(settings.brand_accent, "#f2b134"),
    )
    response = make_response(css)
    response.headers["Content-Type"] = "text/css; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/logo")
def logo():
    settings = get_settings()
    if not settings.logo_path:
        abort(404)
    return send_from_directory(current_app.instance_path, settings.logo_path)


def _colour(value, fallback):
    return value if HEX_COLOUR.match(value or "") else fallback
