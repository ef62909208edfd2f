"""The member's own view of their thank-yous, on the member pages (/me)."""

from flask import render_template
from flask_login import current_user

from portal.accounts.users import member_required
from portal.members import bp as members_bp
from portal.members.cards import add_card
from portal.models import CatalogItem, Recognition
from portal.recognition import ledger

SHOWN = ("approved", "fulfilled")

add_card("recognition/_dashboard_card.html")


def given_to(member, limit=None):
    """Return the member's approved and fulfilled recognitions, newest first."""
    query = (
        Recognition.select(Recognition, CatalogItem)
        .join(CatalogItem)
        .where(Recognition.member == member.id, Recognition.status.in_(SHOWN))
        .order_by(Recognition.decided_at.desc(), Recognition.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(query)


def card_context(member):
    """What the dashboard card needs: the latest thank-yous and the count."""
    return {
        "recognitions": given_to(member, limit=3),
        "recognition_count": Recognition.select()
        .where(Recognition.member == member.id, Recognition.status.in_(SHOWN))
        .count(),
    }


@members_bp.get("/recognitions")
@member_required
def recognitions():
    """List every thank-you the practice gave the signed-in member."""
    member = current_user.member
    return render_template(
        "recognition/member_recognitions.html",
        recognitions=given_to(member),
        year=ledger.practice_year(),
    )
