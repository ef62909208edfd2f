"""The referral redirect, its QR codes and the printable card."""

from functools import lru_cache

from flask import (
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from peewee import JOIN

from portal.db import database
from portal.models import ReferralLink, ServiceLine
from portal.referrals import bp, clicks, qr
from portal.referrals.codes import normalise
from portal.referrals.forms import how_heard_choices, how_heard_label
from portal.referrals.links import URL_CHANNELS, find_active, referral_url

QR_CHANNELS = ("qr", "print", "email")  # email: the QR in a prompt email
UTM_PREFIX = "utm_"
YEAR = 365 * 86400

bp.add_app_template_global(how_heard_choices)
bp.add_app_template_global(how_heard_label)


def _lookup_query(code):
    return (
        ReferralLink.select(
            ReferralLink.id, ReferralLink.revoked_at, ServiceLine.slug.alias("slug")
        )
        .join(ServiceLine, JOIN.LEFT_OUTER)
        .where(ReferralLink.code == code)
    )


@lru_cache(maxsize=4)
def _lookup_sql(database_class):
    # Compiled once per kind of database: building the query each time cost
    # more than running it.
    sql, _ = _lookup_query("").sql()
    return sql


def _lookup(code):
    """The one indexed read of the redirect: the link and its service line slug."""
    sql = _lookup_sql(type(database.obj))
    row = database.execute_sql(sql, (code,)).fetchone()
    if row is None:
        return None
    return {"id": row[0], "revoked_at": row[1], "slug": row[2]}


def _utm_params():
    return {
        key: value[:100]
        for key, value in request.args.items()
        if key.startswith(UTM_PREFIX) and len(key) <= 20 and value
    }


@bp.get("/r/<code>")
def follow(code):
    """Count the click, then send the visitor on to the referral page."""
    code = normalise(code)
    row = _lookup(code) if code else None
    if row is None or row["revoked_at"] is not None:
        # No attribution for a dead code, but never a dead end either.
        return _no_store(redirect(url_for("referrals.join", notice="inactive"), 302))
    channel = request.args.get("c", "link")
    if channel not in URL_CHANNELS:
        channel = "link"
    values = {"ref": code, **_utm_params()}
    if row["slug"]:
        target = url_for("referrals.join_line", slug=row["slug"], **values)
    else:
        target = url_for("referrals.join", **values)
    response = _no_store(redirect(target, 302))
    user_agent = request.headers.get("User-Agent", "")
    if clicks.is_countable(request.method, user_agent, request.headers):
        visitor = clicks.visitor_id(request.cookies.get(clicks.VISITOR_COOKIE))
        prompt = clicks.prompt_ref(request.args.get("p"))
        clicks.record(
            row["id"], channel, request.remote_addr, user_agent, visitor, prompt
        )
        _set_visitor(response, visitor)
    return response


def _no_store(response):
    # Cached redirects would skip the count; shared caches must not keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


def _set_visitor(response, visitor):
    response.set_cookie(
        clicks.VISITOR_COOKIE,
        visitor,
        max_age=clicks.window_days() * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


@bp.get("/r/<code>/qr.<fmt>")
def qr_image(code, fmt):
    """Serve the QR code of a link's address, tagged c=qr (or c=print, c=email)."""
    if fmt not in qr.FORMATS:
        abort(404)
    link = find_active(normalise(code))
    if link is None:
        abort(404)
    channel = request.args.get("c", "qr")
    channel = channel if channel in QR_CHANNELS else "qr"
    address = referral_url(link, channel)
    # A QR shown by a prompt (in its email or on its share card) names the
    # prompt, so a scan of it is tied back; a printed card never does.
    prompt = clicks.prompt_ref(request.args.get("p")) if channel != "print" else None
    if prompt:
        address = f"{address}&p={prompt}"
    body, etag = qr.render(address, fmt)
    if etag in request.if_none_match:
        response = make_response("", 304)
    else:
        response = make_response(body)
        response.headers["Content-Type"] = qr.FORMATS[fmt]
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}"
    if request.args.get("download"):
        response.headers["Content-Disposition"] = (
            f'attachment; filename="referral-qr-{channel}.{fmt}"'
        )
    return response


def _may_print(link):
    if not current_user.is_authenticated:
        return False
    if current_user.is_member:
        return current_user.member.id == link.member_id
    return current_user.can("signups")


def spaced(code):
    """Print a code in two halves so it is easy to read out and type."""
    return f"{code[:5]}-{code[5:]}" if len(code) == 10 else code


@bp.get("/r/<code>/card")
def card(code):
    """A wallet-size card to print: QR, short address and the code as text."""
    link = find_active(normalise(code))
    if link is None:
        abort(404)
    if not _may_print(link):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        abort(403)
    return render_template(
        "referrals/card.html",
        link=link,
        code_text=spaced(link.code),
        address=referral_url(link),
        join_url=current_app.config["PUBLIC_BASE_URL"] + url_for("referrals.join"),
        copies=range(8 if request.args.get("sheet") else 1),
    )


from portal.referrals import pages  # noqa: E402,F401
