"""``portal setup``: the first administrator, and a whole practice from a file."""

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask.cli import with_appcontext

from portal import migrations
from portal.accounts import signin, staffing
from portal.contacts import normalise_email
from portal.db import database
from portal.models import StaffUser
from portal.setup import config_file

ACTOR = "cli"


@click.command("setup")
@click.option(
    "--admin",
    "admin_email",
    default="",
    help="Create this administrator (or make them one) and print a sign-in link.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Apply a practice described in a TOML file (see portal/setup/example.toml).",
)
@click.option("--check", is_flag=True, help="Only check the file; write nothing.")
@with_appcontext
def setup_command(admin_email, config_path, check):
    """Set the practice up from the command line."""
    if not admin_email and config_path is None:
        raise click.UsageError("give --admin EMAIL, --config FILE.toml, or both")
    if admin_email:
        admin_email = _address(admin_email)
    # A new install has no tables yet; this is safe to repeat.
    migrations.upgrade(database, on_apply=lambda name: click.echo(f"applied {name}"))
    plan = _read(config_path) if config_path else None
    if check:
        click.echo("the file is valid; nothing about the practice was written")
        return
    if plan is not None:
        for line in config_file.apply(plan, ACTOR):
            click.echo(line)
        click.echo(f"{config_path} applied")
    if admin_email:
        _admin(admin_email)


def _address(email):
    try:
        return normalise_email(email)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--admin") from exc


def _read(path):
    try:
        return config_file.read(path)
    except config_file.ConfigError as exc:
        click.echo(
            f"{path}: {len(exc.errors)} problem(s); nothing was written:", err=True
        )
        for key, message in exc.errors:
            click.echo(f"  {key}: {message}", err=True)
        sys.exit(1)


def _admin(email):
    user = StaffUser.get_or_none(StaffUser.email == email)
    if user is None:
        user = staffing.add(ACTOR, email, "admin")
        click.echo(f"administrator {user.id} added")
    else:
        if not user.active:
            user = staffing.set_active(ACTOR, user.id, True)
        if user.role != "admin":
            user = staffing.change_role(ACTOR, user.id, "admin")
        click.echo(f"staff user {user.id} is an administrator")
    link = signin.issue_link("staff", user.id, "/setup/")
    click.echo("sign in within 15 minutes with this link (it works once):")
    click.echo(link)
    click.echo(f"path on this portal: {urlsplit(link).path}")
