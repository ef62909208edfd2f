"""POST /api/v1/signups: the same validation as the form, in the JSON envelope."""

import json
import random

import pytest

from portal.api import keys
from portal.models import AuditEvent, Member, ServiceLine, SignUp
from portal.referrals import links


@pytest.fixture
def ingest(app):
    key, _ = keys.create("web form", "ingest")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def link(app):
    ServiceLine.create(name="Pediatrics", slug="pediatrics")
    return links.primary_link(Member.create(email="ana@example.com", first_name="Ana"))


def valid(code):
    return {
        "first_name": "Ben",
        "last_name": "Okafor",
        "email": "ben@example.net",
        "phone": "+1 919 555 0199",
        "service_line": "pediatrics",
        "how_heard": "patient_referral",
        "code": code,
        "email_consent": True,
        "sms_consent": True,
        "language": "es",
        "utm_source": "ehr",
    }


def test_a_valid_sign_up_is_stored_and_credited(client, ingest, link):
    response = client.post("/api/v1/signups", json=valid(link.code), headers=ingest)

    assert response.status_code == 201
    body = response.json
    signup = SignUp.get()
    assert body == {
        "id": signup.id,
        "status": "new",
        "credited": True,
        "channel": "typed",
        "attribution_method": "typed",
        "self_referral": False,
        "existing_patient": False,
    }
    assert signup.origin == "api" and signup.phone == "+19195550199"
    assert signup.language == "es" and signup.utm_source == "ehr"
    assert AuditEvent.get(AuditEvent.action == "signup.created").actor == "system"


def test_the_api_needs_an_ingest_key(client, link):
    export, _ = keys.create("bi", "export")
    assert client.post("/api/v1/signups", json=valid(link.code)).status_code == 401
    wrong = client.post(
        "/api/v1/signups",
        json=valid(link.code),
        headers={"Authorization": f"Bearer {export}"},
    )
    assert wrong.status_code == 403
    assert SignUp.select().count() == 0


def test_the_openapi_document_describes_the_endpoint(client):
    doc = client.get("/api/v1/openapi.json").json
    operation = doc["paths"]["/api/v1/signups"]["post"]
    assert operation["security"] == [{"apiKey": []}]
    assert "SignupIn" in doc["components"]["schemas"]
    assert "201" in operation["responses"] and "422" in operation["responses"]


# For each field, values that are certainly wrong there.
INVALID = {
    "first_name": [None, "", " ", 0, [], {}, "x" * 81, True],
    "last_name": [None, 0, [], {"a": 1}, "x" * 81, False],
    "email": ["not-an-email", "a@", "@@", 0, [], "x" * 300, True],
    "phone": ["12", "call me", 0, [], {}, "9" * 40, True],
    "service_line": ["nope", 0, [], True, "x" * 65],
    "location": ["nowhere", 0, [], True],
    "how_heard": ["billboard", "PATIENT_REFERRAL", 0, [], True],
    "how_heard_detail": [None, 0, [], "x" * 201, True],
    "code": ["O0O0", "2345623456", 0, [], True, "x" * 40],
    "code_source": ["cookie", None, 0, []],
    "email_consent": ["maybe", 2, [], {}, None],
    "sms_consent": ["perhaps", -1, [], None],
    "language": ["fr", 0, [], True],
    "utm_source": [0, [], {}, "x" * 101, True],
    "utm_campaign": [None, 0, "y" * 101],
}


def malformed_payloads(code, count=200, seed=20260301):
    """Return (description, raw body) pairs that must each be refused."""
    base = valid(code)
    out = [
        ("not json", b"first_name=Ben"),
        ("truncated json", b'{"first_name": "Ben"'),
        ("a list", b"[]"),
        ("a string", b'"hello"'),
        ("a number", b"42"),
        ("null", b"null"),
        ("empty object", b"{}"),
        ("unknown field", json.dumps({**base, "ssn": "1"}).encode()),
        ("no contact", json.dumps({**base, "email": None, "phone": None}).encode()),
        ("other, no detail", json.dumps({**base, "how_heard": "other"}).encode()),
        ("sms, no phone", json.dumps({**base, "phone": ""}).encode()),
        ("email, no email", json.dumps({**base, "email": " "}).encode()),
    ]
    rng = random.Random(seed)
    while len(out) < count:
        payload = dict(base)
        broken = rng.sample(sorted(INVALID), k=rng.randint(1, 3))
        for field in broken:
            payload[field] = rng.choice(INVALID[field])
        if rng.random() < 0.1:
            payload[f"extra_{rng.randint(1, 99)}"] = "x"
        out.append((", ".join(broken), json.dumps(payload).encode()))
    return out


def test_two_hundred_malformed_payloads_get_json_errors_and_store_nothing(
    client, ingest, link
):
    payloads = malformed_payloads(link.code)
    assert len(payloads) == 200
    headers = {**ingest, "Content-Type": "application/json"}
    for description, body in payloads:
        response = client.post("/api/v1/signups", data=body, headers=headers)
        assert 400 <= response.status_code < 500, description
        error = response.json["error"]
        assert error["code"] in ("invalid_json", "invalid_request"), description
        assert error["message"] and error["request_id"], description
        if response.status_code == 422:
            assert error["details"] and all("field" in d for d in error["details"])
    assert SignUp.select().count() == 0
    assert AuditEvent.select().where(AuditEvent.action == "signup.created").count() == 0
