"""Staff: look up a referral link by its code, print its card, revoke it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from portal import audit
from portal.accounts.users import actor, permission_required
from portal.models import Click, ReferralLink, SignUp
from portal.referrals import links
from portal.referrals.codes import normalise
from portal.staff import bp


def _summary(link):
    return {
        "link": link,
        "address": links.referral_url(link),
        "clicks": Click.select().where(Click.link == link).count(),
        "signups": SignUp.select().where(SignUp.link == link).count(),
    }


@bp.get("/links")
@permission_required("signups")
def link_lookup():
    """Find a link by the code a person reads out or shows on a card."""
    typed = request.args.get("code", "")
    found, searched = None, bool(typed)
    code = normalise(typed)
    if code:
        link = ReferralLink.get_or_none(ReferralLink.code == code)
        found = _summary(link) if link else None
    return render_template(
        "staff/links.html", found=found, searched=searched, typed=typed[:32]
    )


@bp.post("/links/<int:link_id>/revoke")
@permission_required("signups")
def link_revoke(link_id):
    link = ReferralLink.get_or_none(ReferralLink.id == link_id)
    if link is None:
        abort(404)
    if links.revoke(link, staff=current_user.staff.id):
        audit.record(
            actor(), "link.revoked", f"link:{link.id}", {"member": link.member_id}
        )
        flash(
            gettext("The link is revoked; its address now leads to the general page.")
        )
    return redirect(url_for("staff.link_lookup", code=link.code), 303)
