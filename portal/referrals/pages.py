"""The referral pages served by the portal, the sign-up post and its thank-you."""

import logging

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.extensions import csrf, limiter
from portal.i18n import LANGUAGES
from portal.landing import content
from portal.models import Location, ServiceLine, SignUp
from portal.referrals import bp, clicks, intake, notify, origins
from portal.referrals.codes import normalise
from portal.referrals.forms import UTM_FIELDS, check, errors_by_field, form_payload
from portal.referrals.links import find_active

log = logging.getLogger("portal")

HONEYPOT = "website"
THANKS_MAX_AGE = 6 * 3600
SIGNUP_LIMITS = "10 per minute;60 per hour"


def _language():
    return str(get_locale() or "en")


def form_options():
    """Service lines, locations and how-heard answers offered on every form."""
    lines = (
        ServiceLine.select()
        .where(ServiceLine.active == True, ServiceLine.referral_enabled == True)  # noqa: E712
        .order_by(ServiceLine.position, ServiceLine.name)
    )
    places = (
        Location.select().where(Location.active == True).order_by(Location.name)  # noqa: E712
    )
    return {"service_lines": list(lines), "locations": list(places)}


def _referrer(code):
    """The link behind a code in the address, and who to name (if they chose to)."""
    link = find_active(normalise(code)) if code else None
    if link is None:
        return None, None
    member = link.member
    named = member.first_name if member.named_to_friends else None
    return link, named


def _render(line, values, errors=None, status=200, notice=None, named=None):
    page = content.page_for(line.slug if line else None, _language(), line)
    html = render_template(
        "referrals/join.html",
        page=page,
        line=line,
        values=values,
        errors=errors or {},
        notice=notice,
        referrer_name=named,
        form_action=url_for("referrals.join_post"),
        with_csrf=True,
        language=_language(),
        **form_options(),
    )
    return html, status


def _line_or_404(slug):
    line = ServiceLine.get_or_none(
        ServiceLine.slug == slug,
        ServiceLine.active == True,  # noqa: E712
        ServiceLine.referral_enabled == True,  # noqa: E712
    )
    if line is None:
        abort(404)
    return line


def _initial_values(line):
    values = {name: request.args.get(name, "")[:100] for name in UTM_FIELDS}
    values["service_line"] = line.slug if line else ""
    link, named = _referrer(request.args.get("ref", ""))
    notice = request.args.get("notice") == "inactive" and "inactive" or None
    if link is not None:
        values.update(
            code=link.code, code_source="address", how_heard="patient_referral"
        )
    elif request.args.get("ref"):
        notice = "inactive"
    return values, notice, named


@bp.get("/join")
def join():
    values, notice, named = _initial_values(None)
    return _render(None, values, notice=notice, named=named)


@bp.get("/join/<slug>")
def join_line(slug):
    line = _line_or_404(slug)
    values, notice, named = _initial_values(line)
    return _render(line, values, notice=notice, named=named)


def _guard_origin():
    """Static pages post without a session; every other post needs CSRF."""
    kind = origins.classify(request)
    if kind == "foreign":
        log.info("signup refused: origin not allowed")
        abort(403)
    if kind == "same" and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    return kind


@bp.post("/join")
@csrf.exempt
@limiter.limit(SIGNUP_LIMITS)
def join_post():
    kind = _guard_origin()
    # The page's language, which a static page cannot tell through the browser.
    language = request.form.get("language")
    language = language if language in LANGUAGES else _language()
    if request.form.get(HONEYPOT):
        log.info("signup dropped: honeypot filled")
        return redirect(url_for("referrals.thanks", lang=language), 303)
    with force_locale(language):
        resolved, problems = check(form_payload(request.form))
        if problems:
            values = request.form.to_dict()
            slug = values.get("service_line")
            line = ServiceLine.get_or_none(ServiceLine.slug == slug)
            return _render(line, values, errors_by_field(problems), status=422)
    visitor = clicks.valid_visitor(request.cookies.get(clicks.VISITOR_COOKIE))
    signup = intake.create(
        resolved,
        origin="static" if kind == "static" else "portal",
        visitor=visitor,
        language=language,
    )
    notify.confirm(signup)
    return redirect(url_for("referrals.thanks", s=_sign(signup.id), lang=language), 303)


def _serializer():
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt="signup-thanks"
    )


def _sign(signup_id):
    return _serializer().dumps(signup_id)


@bp.get("/join/thanks")
def thanks():
    """Say thank you; the signed id names no one and expires."""
    signup = None
    token = request.args.get("s", "")
    if token:
        try:
            signup_id = _serializer().loads(token, max_age=THANKS_MAX_AGE)
            signup = SignUp.get_or_none(SignUp.id == int(signup_id))
        except (BadSignature, ValueError, TypeError):
            signup = None
    return render_template("referrals/thanks.html", signup=signup)
