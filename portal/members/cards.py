"""The member dashboard's extra cards: other areas add theirs here.

The dashboard (``templates/members/dashboard.html``) does not extend a page
that other areas could override, so it includes one template per registered
card, in the order they were added, below the referral link::

    {% for card in dashboard_cards() %}{% include card %}{% endfor %}

To add a card, register its template name once, at import time of a module
your area's blueprint package imports::

    from portal.members.cards import add_card

    add_card("recognition/_dashboard_card.html")

A card template is a fragment (``<section class="card">...</section>``); it
sees the dashboard's context: ``member`` (the signed-in Member), ``link``
(their primary ReferralLink) and everything every template sees.
"""

_cards = []


def add_card(template):
    """Register a template to include on the member dashboard (once)."""
    if template not in _cards:
        _cards.append(template)


def dashboard_cards():
    """Return the registered card templates, in the order they were added."""
    return list(_cards)
