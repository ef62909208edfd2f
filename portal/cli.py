"""The ``portal`` command: database, demo data, staff and members."""

import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from portal import audit, migrations
from portal.api import keys as api_keys
from portal.compliance import commands as compliance_commands
from portal.db import database
from portal.landing import commands as landing_commands
from portal.mail import commands as mail_commands
from portal.members import importer
from portal.models import Member, StaffUser
from portal.models.people import STAFF_ROLES
from portal.privacy import commands as privacy_commands
from portal.prompts import commands as prompt_commands
from portal.recognition import commands as policy_commands
from portal.referrals import commands as links_commands
from portal.reports import commands as report_commands
from portal.setup import commands as setup_commands


def _create_app():
    from portal import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main():
    """Run and manage the Ambassador Portal."""


@click.group("db")
def db_group():
    """Create and upgrade the database."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply every pending migration (safe to run again)."""
    ran = migrations.upgrade(database, on_apply=lambda n: click.echo(f"applied {n}"))
    if not ran:
        click.echo("database is up to date")


@click.group("staff")
def staff_group():
    """Manage staff users."""


@staff_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(STAFF_ROLES), default="staff")
@click.option("--name", default="")
@click.option("--clinician", is_flag=True, help="Clinicians are never eligible.")
@with_appcontext
def staff_add(email, role, name, clinician):
    """Add a staff user (or change the role of an existing one)."""
    try:
        email = importer.normalise_email(email)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from exc
    user, created = StaffUser.get_or_create(
        email=email, defaults={"role": role, "name": name, "is_clinician": clinician}
    )
    if not created and user.role != role:
        user.role = role
        user.session_version += 1
        user.save()
    audit.record(
        "cli",
        "staff.added" if created else "staff.role_changed",
        f"staff:{user.id}",
        {"role": role},
    )
    click.echo(f"staff user {user.id} {'added' if created else 'updated'} as {role}")


@click.group("members")
def members_group():
    """Manage members."""


@members_group.command("add")
@click.argument("email")
@click.option("--first-name", required=True)
@click.option("--last-name", default="")
@click.option("--phone", default="")
@click.option("--language", type=click.Choice(["en", "es"]), default="en")
@click.option("--external-id", default="")
@with_appcontext
def members_add(email, first_name, last_name, phone, language, external_id):
    """Add one member."""
    row = {
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "phone": phone,
        "preferred_language": language,
        "external_id": external_id,
    }
    report = importer.read(_as_csv(row))
    if not report.ok:
        for error in report.errors:
            click.echo(f"error: {error.column} {error.message}", err=True)
        sys.exit(1)
    importer.apply(report)
    member = Member.get(Member.email == report.rows[0]["email"])
    click.echo(f"member {member.id} saved")


def _as_csv(row):
    header = ",".join(row)
    values = ",".join('"' + str(v).replace('"', '""') + '"' for v in row.values())
    return f"{header}\n{values}\n"


@members_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and write nothing.")
@with_appcontext
def members_import(path, dry_run):
    """Import members from a CSV file: all rows, or none if any row is bad."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    report = importer.read(text)
    if not report.ok:
        click.echo(f"{len(report.errors)} problem(s); nothing was imported:", err=True)
        for error in report.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    if dry_run:
        click.echo(f"{len(report.rows)} row(s) are ready to import")
        return
    with click.progressbar(length=len(report.rows), label="importing") as bar:
        importer.apply(report, progress=bar.update)
    audit.record(
        "cli",
        "members.imported",
        "",
        {"created": report.created, "updated": report.updated},
    )
    click.echo(f"imported: {report.created} new, {report.updated} updated")


@click.command("demo")
@click.option("--seed", default=7, show_default=True)
@with_appcontext
def demo_command(seed):
    """Load the demo practice (does nothing if it is already there)."""
    from portal import demo

    migrations.upgrade(database)
    if demo.is_loaded():
        click.echo("demo data is already loaded")
        return
    demo.load(seed=seed, echo=click.echo)


@click.group("apikeys")
def apikeys_group():
    """Create and revoke API keys."""


@apikeys_group.command("create")
@click.option("--name", required=True, help="Who uses it, e.g. the EHR bridge.")
@click.option("--scope", type=click.Choice(api_keys.SCOPES), required=True)
@click.option("--signed", is_flag=True, help="Also require HMAC-signed requests.")
@with_appcontext
def apikeys_create(name, scope, signed):
    """Create a key and print it once; only its hash is stored."""
    key, row = api_keys.create(name, scope, signed=signed)
    audit.record("cli", "apikey.created", f"apikey:{row.id}", {"scope": scope})
    click.echo(
        f"API key {row.prefix} ({scope}) created. Copy it now; it is not shown again:"
    )
    click.echo(key)
    if signed:
        click.echo(f"signing secret: {row.signing_secret}")


@apikeys_group.command("revoke")
@click.argument("prefix")
@with_appcontext
def apikeys_revoke(prefix):
    """Revoke the key whose prefix is shown after ap_."""
    if not api_keys.revoke(prefix):
        click.echo(f"no active key with prefix {prefix}", err=True)
        sys.exit(1)
    audit.record("cli", "apikey.revoked", f"apikey:{prefix}")
    click.echo(f"API key {prefix} revoked")


@click.group("audit")
def audit_group():
    """Check the audit log."""


@audit_group.command("verify")
@with_appcontext
def audit_verify():
    """Verify the hash chain; exit 1 naming the first bad event."""
    count, bad, reason = audit.verify()
    if bad is not None:
        click.echo(
            f"audit event {bad.id} {reason}; {count} event(s) before it are intact"
        )
        sys.exit(1)
    click.echo(f"audit log intact: {count} event(s) verified")


db_group.add_command(privacy_commands.db_backup)
members_group.add_command(privacy_commands.members_export)
members_group.add_command(privacy_commands.members_erase)

for _command in (
    privacy_commands.retention_group,
    db_group,
    staff_group,
    members_group,
    demo_command,
    apikeys_group,
    audit_group,
    mail_commands.mail_group,
    links_commands.links_group,
    landing_commands.landing_group,
    report_commands.report_group,
    policy_commands.policy_group,
    compliance_commands.compliance_group,
    prompt_commands.visits_group,
    prompt_commands.prompts_group,
    setup_commands.setup_command,
):
    main.add_command(_command)
