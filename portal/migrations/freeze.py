"""Print the DDL the current models create, per dialect, for a frozen migration.

``python -m portal.migrations.freeze > portal/migrations/0001_initial.py`` wrote
the initial migration. Later schema changes are new migrations of their own.
"""

import pprint

from peewee import SqliteDatabase
from playhouse.postgres_ext import Psycopg3Database

from portal.db import database
from portal.models import MODELS


def ddl_for(db):
    database.initialize(db)
    statements = []
    for model in MODELS:
        sql, params = model._schema._create_table(safe=True).query()
        assert not params
        statements.append(sql)
        for index in model._schema._create_indexes(safe=True):
            sql, params = index.query()
            assert not params
            statements.append(sql)
    return statements


MODULE = '''"""Create every table as the schema stood when this was frozen."""

from portal.migrations import dialect

SQLITE = {sqlite}

POSTGRES = {postgres}


def upgrade(db):
    for statement in SQLITE if dialect(db) == "sqlite" else POSTGRES:
        db.execute_sql(statement)
'''


def main():
    sqlite = ddl_for(SqliteDatabase(":memory:"))
    postgres = ddl_for(Psycopg3Database("unused"))
    print(
        MODULE.format(
            sqlite=pprint.pformat(sqlite, width=80),
            postgres=pprint.pformat(postgres, width=80),
        ),
        end="",
    )


if __name__ == "__main__":
    main()
