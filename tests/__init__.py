"""The portal's tests.

The portal reads its settings from the environment. A developer's shell may
hold a real database, a mail provider or a practice's timezone; the tests
must neither touch those nor depend on them, so those settings are cleared
here, before any test module (or a worker process a test starts) reads them.
What the suite itself is told to use stays: TEST_DATABASE_URL, REDIS_URL, CI.
"""

import os

PORTAL_SETTINGS = (
    "PORTAL_ENV",
    "PORTAL_INSTANCE_PATH",
    "SECRET_KEY",
    "DATABASE_URL",
    "HUEY_SQLITE_PATH",
    "MAIL_BACKEND",
    "MAIL_OUTBOX_DIR",
    "MAIL_FROM",
    "MAIL_MAX_ATTEMPTS",
    "SENDGRID_API_KEY",
    "SENDGRID_HOST",
    "SENDGRID_TIMEOUT",
    "WEBHOOK_TIMEOUT",
    "PUBLIC_BASE_URL",
    "ALLOWED_ORIGINS",
    "RATELIMIT_ENABLED",
    "TRUSTED_PROXIES",
    "LOG_LEVEL",
    "PRACTICE_NAME",
    "PRACTICE_ADDRESS",
    "PRACTICE_TIMEZONE",
    "PRACTICE_STATE",
)

for _name in PORTAL_SETTINGS:
    os.environ.pop(_name, None)
