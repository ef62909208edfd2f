"""Cross-site requests: another session's token, another site's origin, no cookie auth.

tests/test_route_access.py already shows every state-changing form refuses a
request without a token; here the attacker has a token, just not the
victim's, and the API is tried with nothing but the victim's cookie.
"""

import re

import pytest

from portal.models import Member, ServiceLine, SignUp, StaffUser
from tests.conftest import sign_in
from tests.test_route_access import CSRF_EXEMPT, requests

FORM_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def guarded(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def attackers_token(app):
    """A genuine token, minted for the attacker's own session."""
    attacker = app.test_client()
    return FORM_TOKEN.search(attacker.get("/login").text).group(1)


def test_another_sessions_token_is_refused_on_every_state_changing_route(
    guarded, client
):
    admin = StaffUser.create(email="admin@practice.example", role="admin")
    sign_in(client, f"s:{admin.id}:1")
    token = attackers_token(guarded)
    tried, wrong = 0, []
    for public in (True, False):
        for endpoint, method, path in requests(guarded, public):
            if method == "GET" or path.startswith("/api/") or endpoint in CSRF_EXEMPT:
                continue
            tried += 1
            as_form = client.open(path, method=method, data={"csrf_token": token})
            as_htmx = client.open(
                path,
                method=method,
                headers={"X-CSRFToken": token, "HX-Request": "true"},
            )
            if (as_form.status_code, as_htmx.status_code) != (400, 400):
                wrong.append((endpoint, path, as_form.status_code, as_htmx.status_code))
    assert wrong == []
    assert tried > 30
    assert StaffUser.select().count() == 1


def test_a_signed_in_cookie_does_not_open_the_api(client):
    admin = StaffUser.create(email="admin@practice.example", role="admin")
    sign_in(client, f"s:{admin.id}:1")

    feed = client.get("/api/v1/attribution/events")
    visits = client.post("/api/v1/visits", json={"visits": []})
    signups = client.post(
        "/api/v1/signups", json={"first_name": "Eve", "how_heard": "other"}
    )

    for response in (feed, visits, signups):
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
    assert SignUp.select().count() == 0


def test_sign_ups_from_another_site_are_refused(guarded, client):
    ServiceLine.create(name="Primary care", slug="primary-care")
    form = {"first_name": "Eve", "email": "eve@example.net", "how_heard": "other"}

    foreign = client.post(
        "/join", data=form, headers={"Origin": "https://evil.example"}
    )
    referred = client.post(
        "/join", data=form, headers={"Referer": "https://evil.example/page"}
    )
    tokenless = client.post("/join", data=form, headers={"Origin": "http://localhost"})

    assert foreign.status_code == 403
    assert referred.status_code in (400, 403)
    assert tokenless.status_code == 400
    assert SignUp.select().count() == 0


def test_a_member_cannot_be_made_to_change_their_naming_choice(guarded, client):
    member = Member.create(email="ana@example.com", first_name="Ana")
    sign_in(client, f"m:{member.id}")
    token = attackers_token(guarded)

    response = client.post(
        "/me/naming",
        data={"named": "1", "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )

    assert response.status_code == 400
    assert Member.get_by_id(member.id).named_to_friends is False
