"""The Ambassador Portal: referral infrastructure for healthcare practices."""

import os
from pathlib import Path

from flask import Flask

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
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    _register_blueprints(app)
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
