"""Fixtures: a real database per test (SQLite file, and PostgreSQL when asked)."""

import os

import pytest
from flask import g

from portal import create_app, migrations
from portal.db import database, open_database
from portal.models import MODELS
from portal.tasks import huey

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])

huey.immediate = True

# A person on a phone, as click counting and browser families see one.
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _reset_postgres():
    db = open_database(POSTGRES_URL)
    db.connect()
    database.initialize(db)
    db.execute_sql("DROP SCHEMA public CASCADE")
    db.execute_sql("CREATE SCHEMA public")
    db.create_tables(MODELS)
    migrations.stamp(db)
    db.close()
    db.close_all()


@pytest.fixture(scope="session")
def postgres_ready():
    """Create the PostgreSQL tables once per run; tests then truncate them."""
    if POSTGRES_URL:
        _reset_postgres()
    return bool(POSTGRES_URL)


def _truncate_postgres(db):
    tables = ", ".join(f'"{m._meta.table_name}"' for m in MODELS)
    db.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def make_app(tmp_path, url, **overrides):
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": url,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "PUBLIC_BASE_URL": "http://portal.test",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }
    config.update(overrides)
    app = create_app(config)

    @app.teardown_request
    def _forget_request_state(exc):
        # Tests hold one app context, which Flask reuses for every request made
        # inside it, so g (the signed-in user, the practice row) would leak from
        # one request into the next; in production each request gets its own.
        for key in list(g):
            g.pop(key)

    return app


@pytest.fixture
def app(tmp_path, backend, postgres_ready):
    if backend == "postgres":
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{tmp_path / 'portal.db'}"
    app = make_app(tmp_path, url)
    database.connect(reuse_if_open=True)
    if backend == "postgres":
        _truncate_postgres(database)
    else:
        database.create_tables(MODELS)
    migrations.stamp(database)  # made from the models: at the latest migration
    with app.app_context():
        yield app
    if not database.is_closed():
        database.close()
    database.close_all()  # the next test binds a new pool; close this one's


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def sign_in(client, user_id):
    """Sign a test client in as 'm:<id>' or 's:<id>:<version>' without email."""
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True


def pytest_report_header(config):
    where = POSTGRES_URL.rsplit("@", 1)[-1] if POSTGRES_URL else "not set"
    return f"database backends: {', '.join(BACKENDS)} (PostgreSQL: {where})"


def pytest_terminal_summary(terminalreporter):
    passed = terminalreporter.stats.get("passed", [])
    on_postgres = sum(1 for report in passed if "[postgres" in report.nodeid)
    on_sqlite = sum(1 for report in passed if "[sqlite" in report.nodeid)
    terminalreporter.write_line(
        f"database tests passed: {on_sqlite} on SQLite, {on_postgres} on PostgreSQL"
    )
