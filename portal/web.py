"""Cross-cutting request handling: request ids, logs, headers and errors."""

import logging
import re
import sys
import time
import uuid

from flask import (
    current_app,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.db import database

log = logging.getLogger("portal")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def init_logging(app):
    """Log to stdout once per process, at the configured level."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    log.setLevel(app.config["LOG_LEVEL"])
    log.propagate = False


def safe_next(target, default="/"):
    """Return target only when it is a path on this site, else the default."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    return target


def external_url(endpoint, **values):
    """Build an absolute address on PUBLIC_BASE_URL, inside or outside a request."""
    base = current_app.config["PUBLIC_BASE_URL"]
    if has_request_context():
        return base + url_for(endpoint, **values)
    # Not test_request_context(): its teardown would close the database.
    return base + current_app.url_map.bind("localhost").build(endpoint, values)


def wants_json():
    return request.path.startswith("/api/")


def error_response(status, code, message, details=None):
    """Answer with the JSON envelope every API error shares."""
    body = {"error": {"code": code, "message": message, "request_id": g.request_id}}
    if details:
        body["error"]["details"] = details
    response = jsonify(body)
    response.status_code = status
    return response


def init_app(app):
    @app.before_request
    def _start():
        g.started = time.perf_counter()
        offered = request.headers.get("X-Request-ID", "")
        g.request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex

    @app.after_request
    def _finish(response):
        _security_headers(app, response)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        _log_request(response.status_code)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc):
        return _render_error(exc.code or 500, exc.name, exc.description)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unhandled error request_id=%s", g.get("request_id"))
        if not database.is_closed() and database.in_transaction():
            database.rollback()
        error = InternalServerError()
        return _render_error(500, error.name, error.description)


def _render_error(status, name, description):
    if wants_json():
        code = name.lower().replace(" ", "_")
        return error_response(status, code, description or name)
    try:
        page = render_template(
            "errors/error.html", status=status, name=name, description=description
        )
    except Exception:
        # The layout itself needs the database; if that is what failed, answer
        # with a bare page rather than a second error.
        log.exception("error page could not render request_id=%s", g.request_id)
        page = f"<!doctype html><title>{status}</title><h1>{status} {name}</h1>"
    return page, status


def _security_headers(app, response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault(
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    )
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if app.config["PORTAL_ENV"] == "production":
        headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )


def _log_request(status):
    """Write one line per request: the route pattern, never the filled-in path."""
    rule = request.url_rule.rule if request.url_rule else "-"
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    log.info(
        "request method=%s route=%s status=%s ms=%.1f request_id=%s",
        request.method,
        rule,
        status,
        elapsed,
        g.get("request_id", "-"),
    )
