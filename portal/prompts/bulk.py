"""Insert many rows in one statement, skipping those that already exist.

peewee's insert_many builds its SQL value by value, which for a batch of a
thousand visits costs ten times the database's own work. Here the statement
is one template repeated, and each value only goes through its field's
db_value, as peewee would send it. ON CONFLICT DO NOTHING and RETURNING read
the same on SQLite (3.35 and later) and PostgreSQL.
"""

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from portal.db import database
from portal.models import JSONField

CHUNK = 500
# Values of these fields go to the driver as they are (ids, text, numbers,
# booleans, datetimes); any other field's values pass through its db_value.
PLAIN = (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)


def among(values):
    """An IN list rendered in one step, for many values: field.in_(among(ids))."""
    values = list(values)
    if not values:
        return SQL("(NULL)")
    if all(type(value) is int for value in values):
        # Whole numbers are written out: nothing to quote, nothing to inject.
        return SQL("(" + ", ".join(map(str, values)) + ")")
    return SQL("(" + ", ".join([database.param] * len(values)) + ")", values)


def _plain(field):
    return isinstance(field, PLAIN) and not isinstance(field, JSONField)


def insert(model, rows, returning=()):
    """Insert dict rows (all with the same keys); return the returning columns."""
    if not rows:
        return []
    fields = model._meta.fields
    names = list(rows[0])
    defaults = _defaults(model, names)
    columns = [fields[name] for name in names] + [fields[name] for name in defaults]
    convert_at = [
        (index, field.db_value)
        for index, field in enumerate(columns[: len(names)])
        if not _plain(field)
    ]
    extra = [fields[name].db_value(value) for name, value in defaults.items()]
    head = (
        f'INSERT INTO "{model._meta.table_name}" ('
        + ", ".join(f'"{field.column_name}"' for field in columns)
        + ") VALUES "
    )
    one = "(" + ", ".join([database.param] * len(columns)) + ")"
    tail = " ON CONFLICT DO NOTHING"
    if returning:
        tail += " RETURNING " + ", ".join(
            f'"{fields[name].column_name}"' for name in returning
        )
    found = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        params = []
        for row in chunk:
            values = [row[name] for name in names]
            for index, convert in convert_at:
                values[index] = convert(values[index])
            params.extend(values)
            params.extend(extra)
        cursor = database.execute_sql(
            head + ", ".join([one] * len(chunk)) + tail, params
        )
        if returning:
            found.extend(tuple(r) for r in cursor.fetchall())
    return found


def _defaults(model, names):
    """Values for the columns a row leaves out that have a default."""
    values = {}
    for name, field in model._meta.fields.items():
        if name in names or field.primary_key or field.default is None:
            continue
        values[name] = field.default() if callable(field.default) else field.default
    return values
