"""``portal links``: show, create and revoke members' referral links."""

import sys

import click
from flask.cli import with_appcontext

from portal import audit
from portal.cli_helpers import member_by_email
from portal.models import ServiceLine
from portal.referrals import links
from portal.referrals.codes import normalise


@click.group("links")
def links_group():
    """Members' referral links."""


def _service_line(slug):
    if not slug:
        return None
    line = ServiceLine.get_or_none(ServiceLine.slug == slug)
    if line is None:
        raise click.BadParameter(
            f"no service line {slug!r}", param_hint="--service-line"
        )
    return line


@links_group.command("show")
@click.argument("email")
@click.option("--service-line", default="", help="A service line's slug.")
@click.option(
    "--channel",
    type=click.Choice(links.URL_CHANNELS),
    default=None,
    help="Tag the address with a channel (c=).",
)
@with_appcontext
def links_show(email, service_line, channel):
    """Print a member's referral address (making the link if they have none)."""
    member = member_by_email(email)
    try:
        link = links.link_for(member, _service_line(service_line))
    except links.LinkError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(links.referral_url(link, channel))


@links_group.command("list")
@click.argument("email")
@with_appcontext
def links_list(email):
    """List a member's active links: code, service line, address."""
    for link in links.active_links(member_by_email(email)):
        line = link.service_line.slug if link.service_line_id else "general"
        click.echo(f"{link.code}  {line}  {links.referral_url(link)}")


@links_group.command("revoke")
@click.argument("code")
@with_appcontext
def links_revoke(code):
    """Revoke a link by its code; its address then leads to the general page."""
    link = links.find_active(normalise(code))
    if link is None or not links.revoke(link):
        click.echo("no active link with that code", err=True)
        sys.exit(1)
    audit.record("cli", "link.revoked", f"link:{link.id}", {"member": link.member_id})
    click.echo(f"link {link.id} revoked")
