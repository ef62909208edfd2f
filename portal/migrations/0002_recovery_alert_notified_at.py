"""Remember when managers were emailed about each service-recovery alert."""

from peewee import DateTimeField
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from portal.migrations import dialect


def upgrade(db):
    migrator = SqliteMigrator(db) if dialect(db) == "sqlite" else PostgresqlMigrator(db)
    migrate(
        migrator.add_column("recovery_alert", "notified_at", DateTimeField(null=True))
    )
