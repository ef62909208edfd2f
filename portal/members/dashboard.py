"""The member's dashboard: their link, QR code, sharing, counts and naming choice."""

from urllib.parse import quote

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from portal import audit
from portal.accounts.users import actor, member_required
from portal.db import utcnow, write_transaction
from portal.members import bp
from portal.members.cards import dashboard_cards
from portal.models import Consent, Member, ServiceLine, SignUp
from portal.practice import get_settings
from portal.referrals.intake import CONSENT_VERSION
from portal.referrals.links import (
    LinkError,
    active_links,
    link_for,
    primary_link,
    referral_url,
)

bp.add_app_template_global(dashboard_cards)


def friend_counts(member):
    """How many friends signed up through the member, and how many became patients."""
    credited = SignUp.select().where(
        SignUp.ambassador == member,
        SignUp.self_referral == False,  # noqa: E712
        SignUp.existing_patient == False,  # noqa: E712
    )
    return {
        "signed_up": credited.count(),
        "became_patients": credited.where(SignUp.status == "became_patient").count(),
    }


def share_links(link, practice_name):
    """Addresses that open the member's own apps with a message ready to send."""

    def message(channel):
        return gettext(
            "I trust %(practice)s with my care and thought you might like them too: "
            "%(url)s",
            practice=practice_name or gettext("my practice"),
            url=referral_url(link, channel),
        )

    subject = gettext("A practice I recommend")
    return {
        "sms": "sms:?&body=" + quote(message("sms")),
        "email": f"mailto:?subject={quote(subject)}&body={quote(message('email'))}",
        "whatsapp": "https://wa.me/?text=" + quote(message("link")),
    }


@bp.get("/")
@member_required
def dashboard():
    member = current_user.member
    link = primary_link(member)
    return render_template(
        "members/dashboard.html",
        member=member,
        link=link,
        address=referral_url(link),
        share=share_links(link, get_settings().name),
        counts=friend_counts(member),
        line_links=_line_links(member),
    )


def _shareable_lines():
    return list(
        ServiceLine.select()
        .where(
            ServiceLine.active == True,  # noqa: E712
            ServiceLine.referral_enabled == True,  # noqa: E712
            ServiceLine.sensitive == False,  # noqa: E712
        )
        .order_by(ServiceLine.position, ServiceLine.name)
    )


def _line_links(member):
    """Each shareable service line with the member's link for it, if made."""
    made = {
        link.service_line_id: link
        for link in active_links(member)
        if link.service_line_id
    }
    return [
        {
            "line": line,
            "address": referral_url(made[line.id]) if line.id in made else None,
        }
        for line in _shareable_lines()
    ]


@bp.post("/links")
@member_required
def make_line_link():
    """Make (or show again) the member's link for one service line."""
    line = ServiceLine.get_or_none(ServiceLine.slug == request.form.get("line", ""))
    if line is None or line not in _shareable_lines():
        flash(gettext("That service has no referral page."), "error")
    else:
        try:
            link_for(current_user.member, line)
        except LinkError:
            flash(gettext("That service has no referral page."), "error")
    return redirect(url_for("members.dashboard") + "#line-links", 303)


@bp.post("/naming")
@member_required
def naming():
    """Record whether friends may be told who referred them (first name only)."""
    named = request.form.get("named") == "1"
    member = current_user.member
    with write_transaction():
        Member.update(named_to_friends=named).where(Member.id == member.id).execute()
        Consent.create(
            member=member,
            kind="named_to_friends",
            granted=named,
            version=CONSENT_VERSION,
            source="portal",
            recorded_at=utcnow(),
        )
        audit.record(
            actor(), "member.naming_changed", f"member:{member.id}", {"named": named}
        )
    if named:
        flash(gettext("Friends will see your first name when they open your link."))
    else:
        flash(gettext("Friends will not be told who referred them."))
    return redirect(url_for("members.dashboard"), 303)
