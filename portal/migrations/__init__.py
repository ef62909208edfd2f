"""Numbered schema migrations, applied in order and recorded in schema_migration.

Each module named NNNN_description.py defines ``upgrade(db)``. 0001 holds the
schema frozen as DDL for both dialects; later ones use playhouse.migrate. A test
compares a migrated database with one created from the models, so a model
change without its migration fails the suite.
"""

import importlib
import pkgutil

from peewee import SqliteDatabase

from portal.db import utcnow

TABLE = "schema_migration"


def available():
    """Return the migration module names in the order they apply."""
    names = [
        info.name for info in pkgutil.iter_modules(__path__) if info.name[:4].isdigit()
    ]
    return sorted(names)


def _ensure_table(db):
    db.execute_sql(
        f"CREATE TABLE IF NOT EXISTS {TABLE} "
        "(name VARCHAR(255) PRIMARY KEY, applied_at VARCHAR(64) NOT NULL)"
    )


def applied(db):
    _ensure_table(db)
    return {row[0] for row in db.execute_sql(f"SELECT name FROM {TABLE}")}


def upgrade(db, on_apply=None):
    """Apply every pending migration, each in its own transaction; return them."""
    done = applied(db)
    ran = []
    for name in available():
        if name in done:
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        with db.atomic():
            module.upgrade(db)
            db.execute_sql(
                f"INSERT INTO {TABLE} (name, applied_at) VALUES (%s, %s)"
                % (db.param, db.param),
                (name, utcnow().isoformat()),
            )
        ran.append(name)
        if on_apply:
            on_apply(name)
    return ran


def stamp(db):
    """Record every migration as applied, for a database made from the models.

    create_tables(MODELS) builds the latest schema at once; without this a
    later upgrade would try to add what is already there.
    """
    done = applied(db)
    for name in available():
        if name not in done:
            db.execute_sql(
                f"INSERT INTO {TABLE} (name, applied_at) VALUES (%s, %s)"
                % (db.param, db.param),
                (name, utcnow().isoformat()),
            )


def dialect(db):
    db = getattr(db, "obj", None) or db  # unwrap the shared DatabaseProxy
    return "sqlite" if isinstance(db, SqliteDatabase) else "postgres"


def schema_of(db):
    """Describe every table's columns, indexes and foreign keys, for comparison."""
    schema = {}
    for table in sorted(db.get_tables()):
        if table == TABLE:
            continue
        columns = sorted(
            (c.name, c.data_type.lower(), c.null, bool(c.primary_key))
            for c in db.get_columns(table)
        )
        indexes = sorted(
            (tuple(i.columns), bool(i.unique)) for i in db.get_indexes(table)
        )
        keys = sorted(
            (k.column, k.dest_table, k.dest_column) for k in db.get_foreign_keys(table)
        )
        schema[table] = {"columns": columns, "indexes": indexes, "foreign_keys": keys}
    return schema
