"""The redirect counts a person's click and nothing else, and keeps no identity."""

import subprocess
from pathlib import Path

import pytest

from portal.db import database
from portal.models import Click, Member, ServiceLine
from portal.referrals import clicks, links, qr
from tests.conftest import PHONE, sign_in

BOTS = [
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.23.20.0 A",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "TelegramBot (like TwitterBot)",
    "curl/8.5.0",
    "",
]
ZBARIMG = "/usr/bin/zbarimg"


@pytest.fixture
def link(app):
    member = Member.create(email="ana@example.com", first_name="Ana")
    return links.primary_link(member)


def visit(client, path, agent=PHONE, **kwargs):
    return client.get(path, headers={"User-Agent": agent}, **kwargs)


def test_a_click_is_counted_and_redirected_with_the_channel_stripped(client, link):
    response = visit(
        client,
        f"/r/{link.code}?c=qr&utm_source=flyer",
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/join?ref={link.code}&utm_source=flyer"
    assert "c=qr" not in response.headers["Location"]
    assert response.headers["Cache-Control"] == "no-store"
    click = Click.get()
    assert (click.link_id, click.channel) == (link.id, "qr")
    assert click.browser_family == "Mobile Safari"
    assert click.ip_hash and "203.0.113.9" not in click.ip_hash
    assert len(click.ip_hash) == 32
    assert click.ip_hash == clicks.address_hash("203.0.113.9")


def test_the_visitor_cookie_is_first_party_http_only_and_lasts_the_window(client, link):
    response = visit(client, f"/r/{link.code}")
    cookies = response.headers.get_all("Set-Cookie")

    assert len(cookies) == 1  # the visitor id only: no session
    cookie = cookies[0]
    assert cookie.startswith(f"{clicks.VISITOR_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert f"Max-Age={90 * 86400}" in cookie
    visitor = cookie.split(";")[0].split("=", 1)[1]
    assert Click.get().visitor == visitor

    visit(client, f"/r/{link.code}?c=email")
    assert [c.visitor for c in Click.select()] == [visitor, visitor]


def test_the_address_hash_key_changes_every_day(app):
    from datetime import date

    monday = clicks.address_hash("198.51.100.7", date(2026, 3, 2))
    tuesday = clicks.address_hash("198.51.100.7", date(2026, 3, 3))
    assert monday != tuesday
    assert monday == clicks.address_hash("198.51.100.7", date(2026, 3, 2))


def test_the_redirect_reads_once_and_writes_once(client, link):
    statements = []
    real = database.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        statements.append(sql.split()[0].upper())
        return real(sql, params, *args, **kwargs)

    clicks.window_days()  # the window is cached per process, as in production
    database.obj.execute_sql = counting
    try:
        response = visit(client, f"/r/{link.code}?c=link")
    finally:
        database.obj.execute_sql = real
    assert response.status_code == 302
    assert statements == ["SELECT", "INSERT"]


@pytest.mark.parametrize("agent", BOTS)
def test_bots_and_link_previews_are_redirected_but_not_counted(client, link, agent):
    response = visit(client, f"/r/{link.code}", agent=agent)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/join?ref={link.code}"
    assert "Set-Cookie" not in response.headers
    assert Click.select().count() == 0


def test_head_and_prefetch_requests_are_not_counted(client, link):
    head = client.head(f"/r/{link.code}", headers={"User-Agent": PHONE})
    prefetch = client.get(
        f"/r/{link.code}", headers={"User-Agent": PHONE, "Sec-Purpose": "prefetch"}
    )
    assert head.status_code == prefetch.status_code == 302
    assert Click.select().count() == 0


@pytest.mark.parametrize("code", ["NOPE", "ZZZZZZZZZZ", "revoked"])
def test_unknown_and_revoked_codes_land_on_the_general_page(client, link, code):
    if code == "revoked":
        links.revoke(link)
        code = link.code
    response = visit(client, f"/r/{code}?c=qr")
    assert response.status_code == 302
    assert response.headers["Location"] == "/join?notice=inactive"
    assert Click.select().count() == 0

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "That referral link is no longer active" in page
    assert 'name="code" autocomplete="off"' in page and 'value=""' in page


def test_a_service_line_link_goes_to_that_line_page(client, app):
    member = Member.create(email="ben@example.com", first_name="Ben")
    peds = ServiceLine.create(name="Pediatrics", slug="pediatrics")
    link = links.link_for(member, peds)
    response = visit(client, f"/r/{link.code.lower()}")
    assert response.headers["Location"] == f"/join/pediatrics?ref={link.code}"
    assert Click.get().link_id == link.id


def test_qr_svg_and_png_carry_an_etag_and_a_long_cache_life(client, link):
    svg = client.get(f"/r/{link.code}/qr.svg")
    png = client.get(f"/r/{link.code}/qr.png")
    assert svg.status_code == png.status_code == 200
    assert svg.headers["Content-Type"] == "image/svg+xml"
    assert svg.data.lstrip().startswith(b"<?xml") and b"<svg" in svg.data
    assert png.headers["Content-Type"] == "image/png"
    assert png.data.startswith(b"\x89PNG")
    assert "max-age=31536000" in png.headers["Cache-Control"]
    etag = png.headers["ETag"]
    again = client.get(f"/r/{link.code}/qr.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(f"/r/{link.code}/qr.gif").status_code == 404
    links.revoke(link)
    assert client.get(f"/r/{link.code}/qr.png").status_code == 404


def test_qr_images_are_drawn_once_per_address(app, link):
    qr.render.cache_clear()
    address = links.referral_url(link, "qr")
    first = qr.render(address, "png")
    assert qr.render(address, "png") is first
    assert qr.render.cache_info().hits == 1


@pytest.mark.skipif(not Path(ZBARIMG).exists(), reason="zbar-tools is not installed")
def test_the_png_decodes_to_the_referral_address_tagged_qr(client, link, tmp_path):
    path = tmp_path / "qr.png"
    path.write_bytes(client.get(f"/r/{link.code}/qr.png?download=1").data)
    decoded = subprocess.run(
        [ZBARIMG, "--raw", "-q", str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == f"http://portal.test/r/{link.code}?c=qr"


def test_the_card_is_for_its_member_and_front_desk_staff_only(client, app, link):
    from portal.models import StaffUser

    assert client.get(f"/r/{link.code}/card").status_code in (302, 401)
    other = Member.create(email="carla@example.com", first_name="Carla")
    sign_in(client, f"m:{other.id}")
    assert client.get(f"/r/{link.code}/card").status_code == 403

    sign_in(client, f"m:{link.member_id}")
    page = client.get(f"/r/{link.code}/card").get_data(as_text=True)
    assert f"{link.code[:5]}-{link.code[5:]}" in page
    assert f"/r/{link.code}/qr.svg?c=print" in page
    assert "Ana" not in page.split('<div class="card-sheet">')[1]

    desk = StaffUser.create(email="desk@practice.example", role="staff")
    sign_in(client, f"s:{desk.id}:1")
    sheet = client.get(f"/r/{link.code}/card?sheet=1").get_data(as_text=True)
    assert sheet.count('class="referral-card"') == 8
