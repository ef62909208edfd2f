"""The ``portal mail`` commands."""

import click
from flask.cli import with_appcontext

from portal.mail import delivery


@click.group("mail")
def mail_group():
    """Deliver and inspect outgoing email."""


@mail_group.command("deliver")
@with_appcontext
def mail_deliver():
    """Deliver every pending message that is due now (the worker's sweep, by hand)."""
    counts = delivery.sweep()
    summary = ", ".join(f"{count} {status}" for status, count in counts.items())
    click.echo(f"outbox sweep: {summary}")
