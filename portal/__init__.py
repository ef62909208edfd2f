"""The Ambassador Portal: referral infrastructure for healthcare practices."""

import os
from pathlib import Path

from flask import Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config as settings
from portal import db, i18n, web
from portal.extensions import compress, csrf, htmx, limiter, login_manager

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Create the portal; ``config`` overrides settings read from the environment."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get(
        "PORTAL_INSTANCE_PATH", str(ROOT / "instance")
    )
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(settings.from_environment(app.instance_path))
    app.config.update(config or {})
    settings.check(app.config)
    _apply_defaults(app, config or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    web.init_logging(app)
    db.init_app(app)
    csrf.init_app(app)
    compress.init_app(app)
    app.after_request(_buffer_compressible_files)
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    _register_blueprints(app)
    if app.config["TRUSTED_PROXIES"]:
        # Behind a proxy (Fly's edge), take the client's address from the
        # proxy's X-Forwarded-For, or every client shares one rate limit.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def _apply_defaults(app, overrides):
    # Secure cookies everywhere but local development over plain HTTP.
    secure = overrides.get(
        "SESSION_COOKIE_SECURE", app.config["PORTAL_ENV"] != "development"
    )
    app.config.update(
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        RATELIMIT_STORAGE_URI=app.config.get("REDIS_URL") or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        # Compress scripts and styles (Brotli, else gzip). HTML pages stay
        # uncompressed: they carry the CSRF token beside echoed form input,
        # which compression would expose to a BREACH-style guessing attack.
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_MIN_SIZE=512,
        COMPRESS_MIMETYPES=[
            "text/css",
            "text/javascript",
            "application/javascript",
            "image/svg+xml",
        ],
    )


def _buffer_compressible_files(response):
    """Read a static script or style into memory before it is compressed.

    Registered after the compressor, so it runs first: the compressor then
    works on bytes, and the file is closed with the response instead of being
    left to the garbage collector when its stream is replaced.
    """
    compressible = response.mimetype in current_app.config["COMPRESS_MIMETYPES"]
    if response.direct_passthrough and compressible:
        response.direct_passthrough = False
        response.make_sequence()
    return response


def _register_blueprints(app):
    from portal import (
        accounts,
        api,
        attribution,
        compliance,
        invitations,
        main,
        members,
        prompts,
        recognition,
        referrals,
        reports,
        setup,
        staff,
    )
    from portal.accounts import users  # noqa: F401  (registers the user loader)

    for area in (
        main,
        accounts,
        referrals,
        members,
        invitations,
        prompts,
        recognition,
        staff,
        attribution,
        reports,
        compliance,
        setup,
        api,
    ):
        app.register_blueprint(area.bp)
    csrf.exempt(api.bp)  # API calls carry a key, never a session cookie
    main.init_app(app)
