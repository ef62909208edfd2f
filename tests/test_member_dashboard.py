"""The member's dashboard: link, QR, share buttons, counts, the naming choice."""

import re
from html import unescape
from urllib.parse import unquote

import pytest

from portal.members import cards
from portal.models import AuditEvent, Consent, Member, PracticeSettings, SignUp
from portal.referrals import links
from tests.conftest import sign_in


@pytest.fixture
def ana(app, client):
    PracticeSettings.create(id=1, name="Maple Grove")
    member = Member.create(email="ana@example.com", first_name="Ana")
    sign_in(client, f"m:{member.id}")
    return member


def test_the_dashboard_shows_the_link_qr_and_share_buttons(client, ana):
    page = client.get("/me/").get_data(as_text=True)
    link = links.primary_link(ana)
    address = f"http://portal.test/r/{link.code}"

    assert (
        f'value="{address}"' in page and 'data-copy-target="referral-address"' in page
    )
    assert f'src="/r/{link.code}/qr.svg"' in page
    assert f"/r/{link.code}/qr.png?download=1" in page
    assert f"/r/{link.code}/qr.svg?download=1" in page
    assert f"/r/{link.code}/card" in page
    decoded = unquote(unescape(page))
    assert "sms:?&body=I trust Maple Grove" in decoded and f"{address}?c=sms" in decoded
    assert "mailto:?subject=" in decoded and f"{address}?c=email" in decoded
    assert "https://wa.me/?text=" in decoded and f"{address}?c=link" in decoded
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert "<script>" not in page


def test_counts_include_only_real_friends(client, ana):
    link = links.primary_link(ana)
    for status, flagged in [
        ("new", False),
        ("became_patient", False),
        ("became_patient", False),
        ("became_patient", True),
    ]:
        SignUp.create(
            first_name="F",
            link=link,
            ambassador=ana,
            status=status,
            self_referral=flagged,
        )
    page = client.get("/me/").get_data(as_text=True)
    assert '<strong id="count-signed-up">3</strong>' in page
    assert '<strong id="count-became-patients">2</strong>' in page


def test_the_naming_choice_is_stored_with_a_consent_row(client, ana):
    response = client.post("/me/naming", data={"named": "1"})
    assert response.status_code == 303
    assert Member.get_by_id(ana.id).named_to_friends is True
    client.post("/me/naming", data={"named": "0"})
    assert Member.get_by_id(ana.id).named_to_friends is False
    consents = [(c.kind, c.granted) for c in Consent.select().order_by(Consent.id)]
    assert consents == [("named_to_friends", True), ("named_to_friends", False)]
    events = AuditEvent.select().where(AuditEvent.action == "member.naming_changed")
    assert [e.detail["named"] for e in events] == [True, False]
    assert all(e.actor == f"member:{ana.id}" for e in events)
    page = client.get("/me/").get_data(as_text=True)
    assert "Friends will not be told who referred them." in page


def test_staff_cannot_open_the_member_dashboard(client, app):
    from portal.models import StaffUser

    staff = StaffUser.create(email="desk@practice.example")
    sign_in(client, f"s:{staff.id}:1")
    assert client.get("/me/").status_code == 403


def test_other_areas_cards_are_included_in_order(client, ana, app, tmp_path):
    from jinja2 import ChoiceLoader, DictLoader

    extra = {
        "test/_card_a.html": '<section id="card-a">{{ member.id }}</section>',
        "test/_card_b.html": '<section id="card-b">{{ link.code }}</section>',
    }
    app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, DictLoader(extra)])
    before = cards.dashboard_cards()
    cards.add_card("test/_card_a.html")
    cards.add_card("test/_card_b.html")
    cards.add_card("test/_card_a.html")
    try:
        page = client.get("/me/").get_data(as_text=True)
    finally:
        cards._cards[:] = before
    link = links.primary_link(ana)
    assert f'<section id="card-a">{ana.id}</section>' in page
    assert page.index("card-a") < page.index("card-b")
    assert f'<section id="card-b">{link.code}</section>' in page
    assert page.count('id="card-a"') == 1


def test_a_member_can_make_a_link_for_one_service_line(client, ana):
    from portal.models import ServiceLine

    ServiceLine.create(name="Pediatrics", slug="pediatrics")
    ServiceLine.create(name="Behavioral health", slug="behavioral", sensitive=True)
    page = client.get("/me/").get_data(as_text=True)
    assert "Make a link for Pediatrics" in page
    assert "Behavioral health" not in page

    response = client.post("/me/links", data={"line": "pediatrics"})
    assert response.status_code == 303
    line_link = [link for link in links.active_links(ana) if link.service_line_id]
    assert len(line_link) == 1
    page = client.get("/me/").get_data(as_text=True)
    assert f'value="http://portal.test/r/{line_link[0].code}"' in page
    refused = client.post("/me/links", data={"line": "behavioral"})
    assert refused.status_code == 303
    assert len(links.active_links(ana)) == 2  # the primary and the pediatrics link
