"""Views of the prompts area: member pages from emails, staff pages, the card."""

from portal.members.cards import add_card
from portal.models import Member
from portal.prompts import bp, sharing
from portal.prompts import public as _public  # noqa: F401
from portal.prompts import staff as _staff  # noqa: F401
from portal.prompts import tasks as _tasks  # noqa: F401

add_card("prompts/_dashboard_card.html")


@bp.app_template_global()
def prompt_card(member):
    """The share card's values for a member's open prompt, or None."""
    if not isinstance(member, Member):
        return None
    prompt = sharing.open_prompt_for(member)
    return sharing.context(prompt, member) if prompt else None
