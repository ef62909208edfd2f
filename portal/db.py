"""The database chosen by DATABASE_URL, and the hooks that open and close it."""

import datetime
from urllib.parse import parse_qsl, urlparse

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.pool import PooledSqliteDatabase
from playhouse.postgres_ext import PooledPsycopg3Database

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
    "cache_size": -16000,
}


# Requests borrow a connection and give it back: opening a SQLite connection
# (and its pragmas) and closing the last one (a WAL checkpoint) cost more than
# the redirect's own lookup and insert.
POOL = {"max_connections": 32, "stale_timeout": 300, "timeout": 10}


def utcnow():
    """Return the current time in UTC without tzinfo, as every column stores it."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def open_database(url):
    """Make a peewee database for a sqlite:/// or postgresql:// address."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = parsed.path
        if path.startswith("//"):
            path = path[1:]
        elif path.startswith("/") and url.startswith("sqlite:///"):
            path = url[len("sqlite:///") :]
        return PooledSqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, check_same_thread=False, **POOL
        )
    if parsed.scheme in ("postgres", "postgresql"):
        options = dict(parse_qsl(parsed.query))
        return PooledPsycopg3Database(
            parsed.path.lstrip("/"),
            user=parsed.username,
            password=parsed.password,
            host=parsed.hostname,
            port=parsed.port or 5432,
            **POOL,
            **options,
        )
    raise ValueError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")


def bind(url):
    """Point the shared proxy at the database for url and return it."""
    previous = database.obj
    if previous is not None and not previous.in_transaction():
        # A second app in one process (tests, commands) replaces the pool;
        # close the old one's connections rather than leave them to the GC.
        previous.close_all()
    db = open_database(url)
    database.initialize(db)
    return db


def is_sqlite():
    return isinstance(database.obj, SqliteDatabase)


def write_transaction():
    """Open a transaction that takes the write lock at once on SQLite.

    A deferred SQLite transaction that reads and then writes can fail when
    another writer got in between; taking the lock first makes it wait instead.
    PostgreSQL callers lock the rows they read with SELECT ... FOR UPDATE.
    """
    if is_sqlite() and not database.in_transaction():
        return database.atomic(lock_type="IMMEDIATE")
    return database.atomic()


def init_app(app):
    bind(app.config["DATABASE_URL"])

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()
