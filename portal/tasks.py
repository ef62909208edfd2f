"""The huey queue and the tasks it runs.

Storage is SQLite in the instance folder by default, Redis when REDIS_URL is
set. The worker runs ``huey_consumer portal.tasks.huey``; each task opens the
app once per worker process so it has the same settings as the web process.
"""

import os
from pathlib import Path

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey

_ROOT = Path(__file__).resolve().parent.parent


def make_huey():
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey("portal", url=redis_url)
    instance = Path(os.environ.get("PORTAL_INSTANCE_PATH", str(_ROOT / "instance")))
    instance.mkdir(parents=True, exist_ok=True)
    path = os.environ.get("HUEY_SQLITE_PATH", str(instance / "huey.db"))
    return SqliteHuey("portal", filename=path)


huey = make_huey()
_worker_app = None


def app_context():
    """Return a context for task code: the caller's app, or the worker's own."""
    global _worker_app
    if has_app_context():
        return current_app.app_context()
    if _worker_app is None:
        from portal import create_app

        _worker_app = create_app()
    return _worker_app.app_context()


# The worker imports only this module, so it must import every area's tasks.
from portal.accounts import tasks as _account_tasks  # noqa: E402,F401
from portal.attribution import tasks as _attribution_tasks  # noqa: E402,F401
from portal.invitations import tasks as _invitation_tasks  # noqa: E402,F401
from portal.mail import tasks as _mail_tasks  # noqa: E402,F401
from portal.privacy import retention as _retention  # noqa: E402,F401
from portal.prompts import tasks as _prompt_tasks  # noqa: E402,F401
