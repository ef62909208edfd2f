"""Migrations bring a database to the same schema the models describe."""

import importlib

from portal import migrations
from portal.db import database
from portal.models import MODELS, AttributionEvent, Member, SignUp
from portal.staff.signups import change_status
from tests.attribution_helpers import signup


def _drop_everything():
    cascade = migrations.dialect(database) == "postgres"
    database.drop_tables(MODELS, safe=True, cascade=cascade)
    database.execute_sql(f"DROP TABLE IF EXISTS {migrations.TABLE}")


def test_migrated_schema_equals_the_models(app):
    fresh = migrations.schema_of(database)  # the fixture made it from the models
    _drop_everything()
    assert migrations.upgrade(database) == migrations.available()
    assert migrations.schema_of(database) == fresh
    assert len(fresh) == len(MODELS)


def test_upgrade_twice_changes_nothing(app):
    _drop_everything()
    migrations.upgrade(database)
    before = migrations.schema_of(database)
    assert migrations.upgrade(database) == []
    assert migrations.schema_of(database) == before
    assert migrations.applied(database) == set(migrations.available())


def _as_before(name, drop_index, drop_column):
    """Turn the test database back into one that stopped before migration name."""
    module = importlib.import_module(f"portal.migrations.{name}")
    database.execute_sql(f'DROP INDEX "{drop_index}"')
    database.execute_sql(f"ALTER TABLE {drop_column[0]} DROP COLUMN {drop_column[1]}")
    frozen = importlib.import_module("portal.migrations.0001_initial")
    ddl = frozen.SQLITE if migrations.dialect(database) == "sqlite" else frozen.POSTGRES
    database.execute_sql(next(sql for sql in ddl if module.OLD_INDEX in sql))
    migrations.applied(database)  # makes the table
    database.execute_sql(f"DELETE FROM {migrations.TABLE}")
    for earlier in migrations.available()[: migrations.available().index(name)]:
        database.execute_sql(
            f"INSERT INTO {migrations.TABLE} (name, applied_at) VALUES "
            f"({database.param}, {database.param})",
            (earlier, "2026-12-01T00:00:00"),
        )


def test_upgrading_a_database_in_use_keeps_its_rows(app):
    """0003 adds a column to a table other rows refer to, on live data."""
    fresh = migrations.schema_of(database)
    ambassador = Member.create(email="ana@example.com", first_name="Ana")
    row = signup(ambassador)  # its attribution event refers to the sign-up
    for status in ("scheduled", "seen", "closed"):
        change_status(row.id, status, "staff:1")
    events_before = AttributionEvent.select().where(AttributionEvent.signup == row.id)
    assert events_before.count() == 4
    module = importlib.import_module("portal.migrations.0003_signup_reached_status")
    _as_before(
        "0003_signup_reached_status",
        module.NEW_INDEX.split('"')[1],
        ("sign_up", "reached_status"),
    )

    assert migrations.upgrade(database) == ["0003_signup_reached_status"]

    stored = SignUp.get_by_id(row.id)
    assert (stored.status, stored.reached_status) == ("closed", "seen")
    assert (
        AttributionEvent.select().where(AttributionEvent.signup == row.id).count() == 4
    )
    assert migrations.schema_of(database) == fresh
