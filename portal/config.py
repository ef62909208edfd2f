"""Settings read from the environment, each with a default that works locally."""

import os
from pathlib import Path

# The development default is public on purpose: production refuses to start with it.
DEV_SECRET_KEY = "dev-only-not-secret"

ROOT = Path(__file__).resolve().parent.parent


def _flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


class ConfigError(RuntimeError):
    """A setting makes it unsafe or impossible to start."""


def from_environment(instance_path):
    """Build the settings mapping the app factory starts from."""
    instance = Path(instance_path)
    return {
        "PORTAL_ENV": os.environ.get("PORTAL_ENV", "development"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'portal.db'}"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "HUEY_SQLITE_PATH": os.environ.get(
            "HUEY_SQLITE_PATH", str(instance / "huey.db")
        ),
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "file"),
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR", str(instance / "outbox")),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "referrals@practice.example"),
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 8),
        "SENDGRID_API_KEY": os.environ.get("SENDGRID_API_KEY", ""),
        "SENDGRID_HOST": os.environ.get("SENDGRID_HOST", "https://api.sendgrid.com"),
        "SENDGRID_TIMEOUT": float(os.environ.get("SENDGRID_TIMEOUT", "10")),
        "WEBHOOK_TIMEOUT": float(os.environ.get("WEBHOOK_TIMEOUT", "10")),
        "PUBLIC_BASE_URL": os.environ.get(
            "PUBLIC_BASE_URL", "http://127.0.0.1:5000"
        ).rstrip("/"),
        "ALLOWED_ORIGINS": os.environ.get("ALLOWED_ORIGINS", ""),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        "PRACTICE_NAME": os.environ.get("PRACTICE_NAME", ""),
        "PRACTICE_ADDRESS": os.environ.get("PRACTICE_ADDRESS", ""),
        "PRACTICE_TIMEZONE": os.environ.get("PRACTICE_TIMEZONE", "America/New_York"),
        "PRACTICE_STATE": os.environ.get("PRACTICE_STATE", ""),
    }


def check(config):
    """Refuse settings that would be unsafe in production."""
    if config["PORTAL_ENV"] != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key in ("", DEV_SECRET_KEY) or len(key) < 32:
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least 32 characters "
            "in production; it signs sign-in links and sessions. Generate one "
            'with: python -c "import secrets; print(secrets.token_hex(32))"'
        )
    if config["MAIL_BACKEND"] == "sendgrid" and not config["SENDGRID_API_KEY"]:
        raise ConfigError("MAIL_BACKEND=sendgrid needs SENDGRID_API_KEY.")
