"""A consistent copy of a running SQLite database, taken online."""

import sqlite3
from pathlib import Path


def sqlite_path(url):
    if not url.startswith("sqlite:///"):
        return None
    return Path(url[len("sqlite:///") :])


def backup_sqlite(source, target):
    """Copy source to target with SQLite's backup API; return the pages copied.

    The copy is taken in one step (pages=-1), so it is a single consistent
    snapshot even while the portal keeps writing.
    """
    target = Path(target)
    if target.exists():
        raise FileExistsError(f"{target} exists; choose a new file")
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        with writer:
            reader.backup(writer, pages=-1)
        pages = writer.execute("PRAGMA page_count").fetchone()[0]
        check = writer.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise RuntimeError(f"the copy failed its integrity check: {check}")
        return pages
    finally:
        writer.close()
        reader.close()


def pg_dump_hint(url):
    return (
        "PostgreSQL: take backups with pg_dump, e.g.\n"
        f"  pg_dump --format=custom --file=portal.dump '{url}'\n"
        "and restore with pg_restore --clean --dbname=... portal.dump"
    )
