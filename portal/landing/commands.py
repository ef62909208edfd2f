"""``portal landing build``: the static referral pages."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.landing import builder


@click.group("landing")
def landing_group():
    """Static referral pages for any static host or CDN."""


@landing_group.command("build")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the pages to.",
)
@with_appcontext
def landing_build(out):
    """Render the referral pages and their assets to plain files."""
    report = builder.build(out)
    click.echo(f"{len(report.pages)} page(s) written to {out}")
    click.echo(
        f"their form posts to {current_app.config['PUBLIC_BASE_URL']}/join; add the "
        "site's origin to the practice's allowed origins or ALLOWED_ORIGINS"
    )
