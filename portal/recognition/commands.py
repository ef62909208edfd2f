"""``portal policy``: create, show and sign recognition policy versions."""

import json
import sys

import click
from flask.cli import with_appcontext

from portal.models import PolicyVersion, StaffUser
from portal.practice import get_settings
from portal.recognition import versions
from portal.recognition.policy import default_rules


@click.group("policy")
def policy_group():
    """Manage the versioned recognition policy."""


def _fail(message):
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _signer(email):
    staff = StaffUser.get_or_none(StaffUser.email == email.strip().lower())
    if staff is None:
        _fail(f"no staff user {email}")
    return staff


def _sign(version, email):
    try:
        versions.sign_version(version, _signer(email), "cli")
    except versions.PolicyError as exc:
        _fail(str(exc))
    click.echo(f"policy version {version.number} signed and in effect")


@policy_group.command("init")
@click.option("--state", default="", help="Two-letter state; the practice's if unset.")
@click.option("--sign-by", default="", help="Email of the compliance user who signs.")
@click.option("--note", default="First policy from the defaults.")
@with_appcontext
def policy_init(state, sign_by, note):
    """Create the first policy version from the defaults for a state."""
    if PolicyVersion.select().exists():
        _fail("a policy already exists; change it on the compliance pages")
    rules = default_rules(state or get_settings().us_state)
    try:
        version = versions.create_version(rules, "cli", note=note)
    except versions.PolicyError as exc:
        _fail(f"{exc}: {exc.errors}")
    click.echo(f"policy version {version.number} created, awaiting sign-off")
    if sign_by:
        _sign(version, sign_by)


@policy_group.command("sign")
@click.argument("number", type=int)
@click.option("--by", "email", required=True, help="Email of the compliance user.")
@with_appcontext
def policy_sign(number, email):
    """Sign a pending version so it takes effect."""
    version = PolicyVersion.get_or_none(PolicyVersion.number == number)
    if version is None:
        _fail(f"no policy version {number}")
    _sign(version, email)


@policy_group.command("show")
@click.argument("number", type=int, required=False)
@with_appcontext
def policy_show(number):
    """Print a version's rules as JSON (the one in effect by default)."""
    if number is None:
        version = versions.active_version() or versions.pending_version()
    else:
        version = PolicyVersion.get_or_none(PolicyVersion.number == number)
    if version is None:
        _fail("no such policy version")
    click.echo(f"# version {version.number} ({version.status})")
    click.echo(json.dumps(version.rules, indent=2, sort_keys=True))


@policy_group.command("versions")
@with_appcontext
def policy_versions():
    """List every version with its status and sign-off."""
    for version in versions.history():
        signed = version.signed_at.strftime("%Y-%m-%d") if version.signed_at else "-"
        click.echo(f"{version.number}\t{version.status}\tsigned {signed}")
