"""Sign-in by emailed link, sign-out, sessions and rate limits."""

import re

import pytest
from flask import current_app

from portal.db import database, utcnow
from portal.extensions import limiter
from portal.models import AuditEvent, Member, OneTimeToken, OutboxMessage, StaffUser
from tests.conftest import make_app, sign_in
from tests.mail_helpers import eml_files, last_sign_in_link, read_eml

BASE = "http://portal.test"


@pytest.fixture
def admin(app):
    return StaffUser.create(email="admin@maple.example", role="admin", name="Ada")


@pytest.fixture
def member(app):
    return Member.create(email="ana@example.com", first_name="Ana")


def request_link(client, email, **extra):
    return client.post("/login", data={"email": email, **extra})


def open_link(client, app):
    return client.get(last_sign_in_link(app).replace(BASE, ""))


def landing(endpoint, fallback):
    if endpoint not in current_app.view_functions:
        endpoint = fallback
    return current_app.url_map.bind("portal.test").build(endpoint)


def test_login_page_has_a_labelled_email_field(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<label for="email">Email address</label>' in page
    assert 'name="email"' in page and 'autocomplete="email"' in page


def test_staff_signs_in_once_with_the_emailed_link(app, client, admin):
    sent = request_link(client, "Admin@Maple.example")
    assert "Check your email" in sent.get_data(as_text=True)
    message = OutboxMessage.get()
    assert message.kind == "sign_in" and message.marketing is False
    assert message.to_email == "admin@maple.example"

    signed_in = open_link(client, app)

    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == landing(
        "staff.signups", "accounts.staff_home"
    )
    assert client.get("/staff/users").status_code == 200
    assert StaffUser.get_by_id(admin.id).last_sign_in_at is not None
    event = AuditEvent.get(AuditEvent.action == "account.signed_in")
    assert event.actor == f"staff:{admin.id}" and event.detail == {}
    assert "@" not in event.subject


def test_the_same_link_is_refused_the_second_time(app, client, admin):
    request_link(client, admin.email)
    open_link(client, app)

    again = open_link(app.test_client(), app)

    assert again.status_code == 410
    page = again.get_data(as_text=True)
    assert "already used" in page and 'action="/login"' in page


def test_an_expired_link_says_so_and_offers_a_new_one(app, client, member):
    request_link(client, member.email)
    OneTimeToken.update(expires_at=utcnow()).execute()

    response = open_link(client, app)

    assert response.status_code == 410
    assert "has expired" in response.get_data(as_text=True)
    assert OneTimeToken.get().used_at is None
    assert client.get("/logout").status_code == 302  # still signed out


def test_a_tampered_link_is_refused(app, client, member):
    request_link(client, member.email)
    link = last_sign_in_link(app).replace(BASE, "")
    head, signature = link.rsplit(".", 1)
    # Change the signature's first character: its last may be padding bits only.
    changed = ("A" if signature[0] != "A" else "B") + signature[1:]
    response = client.get(f"{head}.{changed}")
    assert response.status_code == 400
    assert "does not work" in response.get_data(as_text=True)


def without_tokens(response):
    # A CSRF token is signed with the time, so it differs second by second.
    return re.sub(r'content="[\w.-]{40,}"', "", response.get_data(as_text=True))


def test_known_and_unknown_addresses_get_the_same_page(app, client, member):
    known = request_link(client, member.email)
    unknown = request_link(client, "nobody@example.com")

    assert known.status_code == unknown.status_code == 200
    assert without_tokens(known) == without_tokens(unknown)
    assert [m.to_email for m in OutboxMessage.select()] == [member.email]
    assert len(eml_files(app)) == 1


def test_erased_members_and_deactivated_staff_get_no_link(app, client):
    Member.create(email="gone@example.com", erased_at=utcnow())
    StaffUser.create(email="left@maple.example", active=False)
    request_link(client, "gone@example.com")
    request_link(client, "left@maple.example")
    assert OutboxMessage.select().count() == 0


def test_a_link_of_someone_deactivated_since_does_not_sign_in(app, client, admin):
    request_link(client, admin.email)
    StaffUser.update(active=False).execute()
    assert open_link(client, app).status_code == 400


def test_member_lands_on_their_page_in_their_language(app, client):
    member = Member.create(
        email="luz@example.com", first_name="Luz", preferred_language="es"
    )
    request_link(client, member.email)
    assert OutboxMessage.get().language == "es"

    response = open_link(client, app)

    assert response.headers["Location"] == landing("members.dashboard", "main.home")
    assert client.get("/staff/").status_code == 403
    assert client.get("/staff/users").status_code == 403


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(app, client, admin):
    form = client.get("/login?next=/staff/users").get_data(as_text=True)
    assert 'value="/staff/users"' in form
    request_link(client, admin.email, next="/staff/users")
    assert open_link(client, app).headers["Location"] == "/staff/users"

    other = app.test_client()
    request_link(other, admin.email, next="https://evil.example/")
    assert open_link(other, app).headers["Location"].startswith("/")


def test_sign_in_starts_a_fresh_session(app, client, member):
    with client.session_transaction() as session:
        session["left_over"] = "from before"
    request_link(client, member.email)
    open_link(client, app)
    with client.session_transaction() as session:
        assert "left_over" not in session
        assert session["_user_id"] == f"m:{member.id}"


def test_link_preview_fetchers_do_not_use_the_link_up(app, client, member):
    request_link(client, member.email)
    link = last_sign_in_link(app).replace(BASE, "")
    preview = client.get(link, headers={"User-Agent": "Slackbot-LinkExpanding 1.0"})
    assert preview.status_code == 200
    assert "finish signing in" in preview.get_data(as_text=True)
    assert OneTimeToken.get().used_at is None

    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert OneTimeToken.get().used_at is not None


def test_sign_out_ends_the_session(app, client, admin):
    sign_in(client, f"s:{admin.id}:1")
    page = client.get("/logout").get_data(as_text=True)
    assert "Sign out" in page and 'method="post"' in page

    response = client.post("/logout")

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/staff/users").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_sign_in_email_is_readable_and_names_the_time_limit(app, client, member):
    request_link(client, member.email)
    message = read_eml(eml_files(app)[0])
    text = message.get_body(("plain",)).get_content()
    assert "works once, for 15 minutes" in text
    assert re.search(r"/login/[\w.-]+", text)


def csrf_token(page):
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_forms_and_htmx_requests_need_the_csrf_token(app, member):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()

    assert request_link(client, member.email).status_code == 400
    assert OutboxMessage.select().count() == 0

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert request_link(client, member.email, csrf_token=token.group(1)).status_code
    assert OutboxMessage.select().count() == 1

    open_link(client, app)
    assert client.post("/logout").status_code == 400
    header = {"X-CSRFToken": csrf_token(client.get("/logout").get_data(as_text=True))}
    assert client.post("/logout", headers=header).status_code == 302


def test_requests_are_limited_per_address_and_per_client(app, tmp_path, member):
    # The new app binds its own connections to the same database; shut ours.
    getattr(database.obj, "close_all", database.close)()
    limited = make_app(tmp_path, app.config["DATABASE_URL"], RATELIMIT_ENABLED=True)
    limiter.reset()  # Redis (REDIS_URL, as in CI) keeps counts from earlier runs
    client = limited.test_client()

    def ask(email, ip):
        return client.post(
            "/login", data={"email": email}, environ_base={"REMOTE_ADDR": ip}
        ).status_code

    assert [ask(member.email, "10.0.0.1") for _ in range(5)] == [200] * 5
    assert ask("ANA@example.com", "10.0.0.2") == 429  # same address, new client
    assert OutboxMessage.select().count() == 5

    answers = [ask(f"friend{n}@example.com", "10.0.0.3") for n in range(21)]
    assert answers == [200] * 20 + [429]
    assert ask("friend99@example.com", "10.0.0.4") == 200
