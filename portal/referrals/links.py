"""Referral links: one primary link per member, optional per-service-line links.

Other areas (prompts, invitations, emails) call ``primary_link(member)`` and
``referral_url(link, channel)``; neither needs a request.
"""

from urllib.parse import urlencode

from flask import current_app
from peewee import IntegrityError

from portal.db import database, is_sqlite, utcnow, write_transaction
from portal.models import Member, ReferralLink, ServiceLine
from portal.referrals.codes import new_code

# Channels a shared address may carry; "typed" is only ever inferred at intake.
URL_CHANNELS = ("link", "qr", "email", "print", "sms", "invitation")
_CODE_ATTEMPTS = 5


class LinkError(ValueError):
    """A link cannot be made as asked; the message says why."""


def active_links(member):
    """Return the member's unrevoked links, primary first."""
    return list(
        ReferralLink.select()
        .where(ReferralLink.member == member, ReferralLink.revoked_at.is_null())
        .order_by(ReferralLink.service_line.is_null(False), ReferralLink.id)
    )


def _active(member, service_line):
    query = ReferralLink.select().where(
        ReferralLink.member == member, ReferralLink.revoked_at.is_null()
    )
    if service_line is None:
        query = query.where(ReferralLink.service_line.is_null())
    else:
        query = query.where(ReferralLink.service_line == service_line)
    return query.order_by(ReferralLink.id).first()


def _lock_member(member):
    # On PostgreSQL two first visits at once would otherwise make two links.
    if not is_sqlite():
        Member.select(Member.id).where(Member.id == member.id).for_update().get()


def _create(member, service_line):
    for _ in range(_CODE_ATTEMPTS):
        try:
            with database.atomic():
                return ReferralLink.create(
                    member=member, code=new_code(), service_line=service_line
                )
        except IntegrityError:
            continue  # a code collision: about one in 10^14, so just draw again
    raise LinkError("could not draw an unused referral code")


def link_for(member, service_line=None):
    """Return the member's active link (for a service line), creating it if missing."""
    if service_line is not None and service_line.sensitive:
        # A link that lands on e.g. behavioral health would tell the friend
        # what the member is treated for.
        raise LinkError("sensitive service lines have no per-member links")
    link = _active(member, service_line)
    if link is not None:
        return link
    with write_transaction():
        _lock_member(member)
        return _active(member, service_line) or _create(member, service_line)


def primary_link(member):
    """Return the member's general referral link, creating it if missing."""
    return link_for(member, None)


def referral_url(link, channel=None):
    """Return the absolute address of a link, tagged with a channel (c=)."""
    if channel is not None and channel not in URL_CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(URL_CHANNELS)}")
    base = current_app.config["PUBLIC_BASE_URL"]
    query = f"?{urlencode({'c': channel})}" if channel else ""
    return f"{base}/r/{link.code}{query}"


def find_active(code):
    """Return the unrevoked link for a normalised code, or None."""
    if not code:
        return None
    return ReferralLink.get_or_none(
        ReferralLink.code == code, ReferralLink.revoked_at.is_null()
    )


def revoke(link, staff=None):
    """Revoke a link; return True when it was active."""
    changed = (
        ReferralLink.update(revoked_at=utcnow(), revoked_by=staff)
        .where(ReferralLink.id == link.id, ReferralLink.revoked_at.is_null())
        .execute()
    )
    return bool(changed)


def service_line_by_slug(slug):
    return ServiceLine.get_or_none(ServiceLine.slug == slug)
