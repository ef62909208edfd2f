"""Every page keeps to the CSP, and every cookie carries its flags in production.

The CSP forbids inline script and style, so a page with an inline script, a
style attribute or an on...= handler would break silently in browsers; the
walk opens every page, as each kind of visitor, and reads the HTML.
"""

import re

import pytest

from portal.models import Member, PracticeSettings, ReferralLink, StaffUser
from tests.conftest import make_app, sign_in
from tests.mail_helpers import last_sign_in_link
from tests.test_route_access import requests

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[^>]*>", re.IGNORECASE)
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
)


def csp_problems(response):
    """What in one response would break or weaken the content security policy."""
    csp = response.headers.get("Content-Security-Policy", "")
    problems = []
    if not csp:
        problems.append("no CSP header")
    if "unsafe-inline" in csp or "unsafe-eval" in csp or "*" in csp.split():
        problems.append(f"weak CSP: {csp}")
    if response.mimetype != "text/html":
        return problems
    html = response.get_data(as_text=True)
    # A downloaded document carries its styles by hash in its own CSP.
    allows_hashed_style = "sha256-" in csp
    for name, pattern in (
        ("inline script", INLINE_SCRIPT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("event handler", HANDLER),
    ):
        found = pattern.search(html)
        if found:
            problems.append(f"{name}: {found.group(0)[:80]}")
    if STYLE_ELEMENT.search(html) and not allows_hashed_style:
        problems.append("style element without a hash in the CSP")
    return problems


@pytest.fixture
def people(app):
    PracticeSettings.create(id=1, name="Maple Grove", postal_address="1 Main St")
    member = Member.create(email="ana@example.com", first_name="Ana")
    ReferralLink.create(member=member, code="ANA4N8R2TW")
    admin = StaffUser.create(email="admin@practice.example", role="admin")
    return member, admin


@pytest.mark.parametrize("who", ["anonymous", "member", "admin"])
def test_every_page_keeps_to_the_csp(app, client, people, who):
    member, admin = people
    if who == "member":
        sign_in(client, f"m:{member.id}")
    if who == "admin":
        sign_in(client, f"s:{admin.id}:1")
    pages = [("main.home", "GET", "/")]
    for public in (True, False):
        pages += [
            (endpoint, method, path)
            for endpoint, method, path in requests(app, public)
            if method == "GET"
        ]
    pages += [
        ("referrals.join", "GET", "/join?ref=ANA4N8R2TW"),
        ("referrals.card", "GET", "/r/ANA4N8R2TW/card"),
        ("no such page", "GET", "/no-such-page"),
    ]
    problems, html_pages = {}, 0
    for endpoint, _, path in pages:
        response = client.get(path, headers={"User-Agent": BROWSER})
        html_pages += response.mimetype == "text/html"
        found = csp_problems(response)
        if found:
            problems[(endpoint, path, response.status_code)] = found
    assert problems == {}
    assert html_pages > 20


def cookie_flags(response, name):
    """Return the attributes of the Set-Cookie header for one cookie, lowercased."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return {part.strip().split("=")[0].lower() for part in header.split(";")}
    raise AssertionError(
        f"{name} was not set: {response.headers.getlist('Set-Cookie')}"
    )


def test_every_cookie_is_secure_httponly_and_lax_in_production(
    app, tmp_path, monkeypatch, people
):
    member, _ = people
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 64)
    production = make_app(tmp_path, app.config["DATABASE_URL"])
    client = production.test_client()
    https = {"base_url": "https://portal.test"}

    response = client.post("/login", data={"email": member.email}, **https)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    link = last_sign_in_link(production).replace("http://portal.test", "")
    signed_in = client.get(link, **https)
    language = client.post("/language", data={"language": "es"}, **https)
    click = client.get("/r/ANA4N8R2TW", headers={"User-Agent": BROWSER}, **https)

    for response, name in (
        (signed_in, production.config["SESSION_COOKIE_NAME"]),
        (language, "lang"),
        (click, "pv"),
    ):
        flags = cookie_flags(response, name)
        assert {"secure", "httponly", "samesite"} <= flags, (name, flags)
        header = next(
            h for h in response.headers.getlist("Set-Cookie") if h.startswith(name)
        )
        assert "SameSite=Lax" in header or "SameSite=Strict" in header, header
