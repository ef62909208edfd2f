"""Sign-in links that are forged, tampered with or raced, and rate limits that hold.

The rate-limit tests build an app with the limiter on. Its storage is memory,
or Redis when REDIS_URL is set (as in CI), so each test clears it first.
"""

import threading

import pytest
from itsdangerous import URLSafeTimedSerializer

from portal.accounts import signin
from portal.db import database
from portal.extensions import limiter
from portal.models import Member, OneTimeToken, OutboxMessage, SignUp
from portal.prompts import tokens
from tests.conftest import make_app
from tests.mail_helpers import last_sign_in_link

BASE = "http://portal.test"


@pytest.fixture
def member(app):
    return Member.create(email="ana@example.com", first_name="Ana")


def issued_token(app, client, email):
    client.post("/login", data={"email": email})
    return last_sign_in_link(app).rsplit("/", 1)[1]


def signed_in(client):
    with client.session_transaction() as session:
        return session.get("_user_id")


def refused(client, token, status=400):
    response = client.get(f"/login/{token}")
    assert response.status_code == status, (token, response.status_code)
    assert "Location" not in response.headers
    assert signed_in(client) is None
    return response


# --- forged and tampered links -----------------------------------------------


def test_a_link_signed_with_another_key_is_refused(app, client, member):
    genuine = issued_token(app, client, member.email)
    nonce = signin._serializer().loads(genuine)["n"]
    forger = URLSafeTimedSerializer("a-guessed-secret-key", salt=signin.SALT)

    refused(client, forger.dumps({"n": nonce, "next": ""}))
    refused(client, URLSafeTimedSerializer("dev-only-not-secret").dumps({"n": nonce}))

    assert OneTimeToken.get().used_at is None  # the genuine link still works
    assert client.get(f"/login/{genuine}").status_code == 302


def test_a_tampered_payload_or_signature_is_refused(app, client, member):
    genuine = issued_token(app, client, member.email)
    payload, stamp, signature = genuine.split(".")
    # Change the first character: the last one of a base64 signature also holds
    # padding bits, so changing it can leave the decoded signature the same.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    honest = signin._serializer()
    other_payload = honest.dumps({"n": "x" * 43, "next": "/staff/"}).split(".")[0]

    for token in (
        f"{payload}.{stamp}.{flipped}",
        f"{other_payload}.{stamp}.{signature}",
        f"{payload}.{stamp}",
        f"{payload}..{signature}",
        genuine + "x",
        "",
        "." * 3,
    ):
        if token:
            refused(client, token)
    assert OneTimeToken.get().used_at is None


def test_a_genuine_signature_over_an_unknown_or_odd_payload_is_refused(
    app, client, member
):
    issued_token(app, client, member.email)
    honest = signin._serializer()
    for payload in (
        {"n": "never-issued-nonce"},
        {"n": 12345},
        {"next": "/me/"},
        ["n", "x"],
        "just a string",
    ):
        refused(client, honest.dumps(payload))


def test_tokens_made_for_other_purposes_do_not_sign_in(app, client, member):
    issued_token(app, client, member.email)
    for token in (
        tokens.share_token(1),
        tokens.contact_token(1),
        tokens.survey_token("nonce", 10),
    ):
        refused(client, token)


# --- replay ------------------------------------------------------------------


def test_a_link_opened_twice_at_once_signs_in_only_once(app, member):
    token = issued_token(app, app.test_client(), member.email)
    database.close()
    barrier = threading.Barrier(4)
    statuses, errors = [], []

    def open_link():
        client = app.test_client()
        try:
            barrier.wait()
            with app.app_context():
                statuses.append(client.get(f"/login/{token}").status_code)
        except Exception as exc:  # reported below; a thread cannot fail the test
            errors.append(exc)
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=open_link) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    database.connect(reuse_if_open=True)
    assert errors == []
    assert sorted(statuses) == [302, 410, 410, 410]


def test_a_used_link_stays_used_after_a_new_one_is_issued(app, client, member):
    first = issued_token(app, client, member.email)
    assert client.get(f"/login/{first}").status_code == 302
    client.post("/logout")
    second = issued_token(app, client, member.email)

    refused(client, first, status=410)
    assert client.get(f"/login/{second}").status_code == 302
    refused(app.test_client(), second, status=410)


# --- rate limits ---------------------------------------------------------------


@pytest.fixture
def limited(app, tmp_path):
    """An app with the limiter on, over the same database, its counters cleared."""
    getattr(database.obj, "close_all", database.close)()
    limited_app = make_app(tmp_path, app.config["DATABASE_URL"], RATELIMIT_ENABLED=True)
    limiter.reset()
    yield limited_app
    limiter.reset()


def join_form(n):
    return {
        "first_name": f"Friend{n}",
        "email": f"friend{n}@example.net",
        "how_heard": "organic_search",
    }


def test_sign_in_requests_over_the_limit_get_429_and_no_email(limited, member):
    client = limited.test_client()
    answers = [
        client.post(
            "/login",
            data={"email": member.email},
            environ_base={"REMOTE_ADDR": "10.9.0.1"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
        for n in range(6)
    ]

    assert [a.status_code for a in answers] == [200] * 5 + [429]
    last = answers[-1]
    assert "Retry-After" in last.headers
    assert 'id="main"' in last.text and "429" in last.text
    assert OutboxMessage.select().count() == 5


def test_a_forged_forwarded_for_header_does_not_escape_the_client_limit(
    limited, member
):
    client = limited.test_client()
    statuses = [
        client.post(
            "/login",
            data={"email": f"someone{n}@example.net"},
            environ_base={"REMOTE_ADDR": "10.9.0.2"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(21)
    ]
    assert statuses == [200] * 20 + [429]


def test_sign_ups_over_the_limit_get_429_and_are_not_stored(limited):
    client = limited.test_client()
    ip = {"REMOTE_ADDR": "10.9.0.3"}

    statuses = [
        client.post("/join", data=join_form(n), environ_base=ip).status_code
        for n in range(11)
    ]
    other = client.post(
        "/join", data=join_form(99), environ_base={"REMOTE_ADDR": "10.9.0.4"}
    )

    assert statuses == [303] * 10 + [429]
    assert other.status_code == 303
    assert SignUp.select().count() == 11


def test_api_sign_ups_over_the_limit_get_the_json_error(limited):
    from portal.api import keys

    with limited.app_context():
        key, _ = keys.create("site", "ingest")
    client = limited.test_client()
    headers = {"Authorization": f"Bearer {key}"}
    body = {"first_name": "Friend", "how_heard": "organic_search"}

    statuses = []
    for n in range(121):
        response = client.post(
            "/api/v1/signups",
            json={**body, "email": f"f{n}@example.net"},
            headers=headers,
            environ_base={"REMOTE_ADDR": "10.9.0.5"},
        )
        statuses.append(response.status_code)

    assert statuses == [201] * 120 + [429]
    error = response.get_json()["error"]
    assert error["code"] == "too_many_requests" and error["request_id"]
    assert SignUp.select().count() == 120
