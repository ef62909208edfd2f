"""``portal members export|erase``, ``portal retention run``, ``portal db backup``."""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.cli_helpers import member_by_email
from portal.privacy import access, backup, retention


@click.command("export")
@click.argument("email")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def members_export(email, out):
    """Write everything stored about a member to a JSON file (access request)."""
    member = member_by_email(email)
    out.write_text(json.dumps(access.export(member, "cli"), indent=2))
    click.echo(f"member {member.id} exported to {out}")


@click.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def members_erase(email, yes):
    """Pseudonymise a member on request: names and contact details are removed."""
    member = member_by_email(email)
    if not yes:
        click.confirm(f"Erase member {member.id}? This cannot be undone", abort=True)
    pseudonym = access.erase(member, "cli")
    click.echo(f"member {member.id} erased; the audit log now knows it as {pseudonym}")


@click.group("retention")
def retention_group():
    """Remove data past its lifetime."""


@retention_group.command("run")
@with_appcontext
def retention_run():
    """Apply every retention lifetime now (the worker does this nightly)."""
    removed = retention.run()
    click.echo(", ".join(f"{kind}: {count}" for kind, count in removed.items()))


@click.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def db_backup(out):
    """Take a consistent online backup of the SQLite database."""
    url = current_app.config["DATABASE_URL"]
    source = backup.sqlite_path(url)
    if source is None:
        click.echo(backup.pg_dump_hint(url), err=True)
        sys.exit(1)
    try:
        pages = backup.backup_sqlite(source, out)
    except FileExistsError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"backup written to {out} ({pages} pages)")
