"""The core loop in Chromium: a member shares a QR code, a friend signs up, staff
see the sign-up credited; and the static referral pages do the same."""

import email
import functools
import re
import subprocess
import threading
from email import policy
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from portal.db import database
from portal.landing import builder
from portal.models import (
    Location,
    Member,
    PracticeSettings,
    ServiceLine,
    SignUp,
    StaffUser,
)
from portal.referrals import links
from tests.browser.conftest import PHONE, save_screenshot

ZBARIMG = "/usr/bin/zbarimg"
SIGN_IN_LINK = re.compile(r"https?://\S+/login/[A-Za-z0-9._-]+")
VIEWPORT = {"width": 390, "height": 844}


@pytest.fixture
def seeded(live_server):
    """The practice, one member (the ambassador) and one front-desk user."""
    app = live_server.app
    with app.app_context():
        database.connect(reuse_if_open=True)
        PracticeSettings.create(
            id=1,
            name="Maple Grove Direct Care",
            postal_address="120 Harbor Street, Raleigh, NC 27601",
            help_phone="+1 919 555 0142",
        )
        ServiceLine.create(name="Pediatrics", slug="pediatrics", position=1)
        ServiceLine.create(name="Primary care", slug="primary-care", position=0)
        Location.create(name="Downtown", slug="downtown")
        ana = Member.create(
            email="ana.alvarez@example.com", first_name="Ana", last_name="Alvarez"
        )
        desk = StaffUser.create(email="desk@maple.example", role="staff")
        database.close()
    return ana.id, desk


def _outbox(app):
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def _link_from_newest_email(app):
    message = email.message_from_bytes(
        _outbox(app)[-1].read_bytes(), policy=policy.default
    )
    text = message.get_body(("plain",)).get_content()
    found = SIGN_IN_LINK.search(text)
    assert found, "the sign-in email has no link"
    return found.group(0)


def sign_in(page, server, email_address, session_for):
    """Sign in by the emailed link when /login exists, else by a test session."""
    app = server.app
    if "accounts.login" in app.view_functions:
        before = len(_outbox(app))
        page.goto(server.url + "/login")
        page.get_by_label("Email address").fill(email_address)
        page.get_by_role("button", name="Email me a sign-in link").click()
        page.wait_for_load_state()
        assert len(_outbox(app)) == before + 1
        page.goto(_link_from_newest_email(app))
        return "magic link"
    # Sign-in by email is not in this build: a signed session cookie stands in.
    serializer = app.session_interface.get_signing_serializer(app)
    cookie = serializer.dumps({"_user_id": session_for, "_fresh": True})
    page.context.add_cookies(
        [
            {
                "name": app.config["SESSION_COOKIE_NAME"],
                "value": cookie,
                "url": server.url,
            }
        ]
    )
    return "test session"


def fill_sign_up(page, first_name, email_address, service="Pediatrics"):
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill("Friend")
    page.get_by_label("Email", exact=True).fill(email_address)
    page.get_by_label("What would you like help with?").select_option(label=service)
    page.get_by_label("Preferred location").select_option(label="Downtown")
    page.get_by_label("You may email me about my request.").check()


@pytest.mark.skipif(not Path(ZBARIMG).exists(), reason="zbar-tools is not installed")
def test_a_qr_code_shared_by_a_member_brings_a_credited_sign_up(
    browser, page, live_server, seeded, tmp_path
):
    ana_id, desk = seeded
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))

    how = sign_in(page, live_server, "ana.alvarez@example.com", f"m:{ana_id}")
    page.goto(live_server.url + "/me/")
    address = page.get_by_role("textbox", name="Your referral link").input_value()
    assert re.fullmatch(re.escape(live_server.url) + r"/r/[2-9A-Z]{10}", address)
    qr_image = page.get_by_role("img", name="QR code for your referral link")
    assert qr_image.is_visible()
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    save_screenshot(page, "member-dashboard-390")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PNG").click()
    png = tmp_path / "qr.png"
    download.value.save_as(png)
    decoded = subprocess.run(
        [ZBARIMG, "--raw", "-q", str(png)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == address + "?c=qr"

    friend = browser.new_context(viewport=VIEWPORT, user_agent=PHONE).new_page()
    friend.goto(decoded)
    assert "/join?ref=" in friend.url and "c=qr" not in friend.url
    assert (
        friend.get_by_label("Referral code (optional)").input_value() == address[-10:]
    )
    fill_sign_up(friend, "Ben", "ben.friend@example.net")
    save_screenshot(friend, "referral-page-390")
    friend.get_by_role("button", name="Ask for an appointment").click()
    friend.get_by_role("heading", name="Thank you, Ben!").wait_for()
    friend.context.close()

    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(staff, live_server, "desk@maple.example", f"s:{desk.id}:1")
    staff.goto(live_server.url + "/staff/signups")
    row = staff.locator("tr", has_text="Ben Friend")
    assert "Ana Alvarez" in row.inner_text()
    assert row.locator(".signup-channel").inner_text() == "qr"
    row.get_by_label(re.compile("Status of sign-up")).select_option("scheduled")
    staff.locator("tr", has_text="Ben Friend").get_by_text("Saved").wait_for()
    save_screenshot(staff, "staff-signups-1280")
    staff.context.close()

    with live_server.app.app_context():
        signup = SignUp.get(SignUp.email == "ben.friend@example.net")
        assert (signup.ambassador_id, signup.channel) == (ana_id, "qr")
        assert signup.attribution_method == "click" and signup.status == "scheduled"
    assert errors == []
    assert how in ("magic link", "test session")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def static_site(live_server, seeded, tmp_path):
    """The static build, served by a plain file server on its own port."""
    out = tmp_path / "site"
    with live_server.app.app_context():
        builder.build(out)
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    live_server.app.config["ALLOWED_ORIGINS"] = url
    yield url
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_the_static_pages_post_credited_sign_ups_to_the_portal(
    browser, live_server, seeded, static_site
):
    ana_id, _ = seeded
    site = static_site
    with live_server.app.app_context():
        code = links.primary_link(Member.get_by_id(ana_id)).code

    visitor = browser.new_context(viewport=VIEWPORT, user_agent=PHONE).new_page()
    requested = []
    visitor.on("request", lambda request: requested.append(request.url))
    visitor.goto(f"{site}/pediatrics/index.html?ref={code}&utm_source=flyer")
    assert visitor.get_by_label("Referral code (optional)").input_value() == code
    fill_sign_up(visitor, "Cleo", "cleo@example.net")
    save_screenshot(visitor, "static-page-390")
    visitor.get_by_role("button", name="Ask for an appointment").click()
    visitor.get_by_role("heading", name="Thank you, Cleo!").wait_for()
    assert visitor.url.startswith(live_server.url + "/join/thanks")

    typed = browser.new_context(viewport=VIEWPORT, user_agent=PHONE).new_page()
    typed.goto(f"{site}/es/index.html")
    assert typed.locator("html").get_attribute("lang") == "es"
    typed.get_by_label("Nombre", exact=True).fill("Dario")
    typed.get_by_label("Correo electrónico", exact=True).fill("dario@example.net")
    typed.get_by_label("¿En qué podemos ayudarle?").select_option(label="Primary care")
    typed.get_by_label("Pueden escribirme por correo electrónico").check()
    code_field = typed.get_by_label("Código de recomendación (opcional)")
    assert code_field.input_value() == ""
    code_field.fill(f"{code[:5]}-{code[5:]}".lower())
    typed.get_by_role("button", name="Pedir una cita").click()
    typed.get_by_role("heading", name="¡Gracias, Dario!").wait_for()

    with live_server.app.app_context():
        cleo = SignUp.get(SignUp.email == "cleo@example.net")
        dario = SignUp.get(SignUp.email == "dario@example.net")
    assert (cleo.ambassador_id, cleo.channel, cleo.origin) == (ana_id, "link", "static")
    assert cleo.utm_source == "flyer" and cleo.service_line.slug == "pediatrics"
    assert (dario.ambassador_id, dario.channel, dario.origin) == (
        ana_id,
        "typed",
        "static",
    )
    hosts = {url.split("/")[2] for url in requested}
    assert hosts <= {site.split("/")[2], live_server.url.split("/")[2]}
    visitor.context.close()
    typed.context.close()
