"""What several ``portal`` commands need: finding a member by an address."""

import sys

import click

from portal.contacts import normalise_email
from portal.models import Member


def member_by_email(email):
    """Return the member with this address, or stop the command saying why."""
    try:
        address = normalise_email(email)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from exc
    member = Member.get_or_none(Member.email == address, Member.erased_at.is_null())
    if member is None:
        click.echo("no member with that email address", err=True)
        sys.exit(1)
    return member
