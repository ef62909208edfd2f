"""Migrations bring a database to the same schema the models describe."""

from portal import migrations
from portal.db import database
from portal.models import MODELS


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
