"""What every model shares: the database, timestamps and JSON text columns."""

import json

from peewee import Model, TextField

from portal.db import database, utcnow


class JSONField(TextField):
    """A JSON document kept as text, so SQLite and PostgreSQL store it alike."""

    def db_value(self, value):
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    def python_value(self, value):
        if value is None:
            return None
        return json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


__all__ = ["BaseModel", "JSONField", "utcnow"]
