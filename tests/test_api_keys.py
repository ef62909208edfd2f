"""API keys are shown once, stored hashed, scoped, revocable and can be signed."""

import json

from flask import jsonify

from portal.api import bp, keys
from portal.api.keys import key_required
from portal.cli import main
from portal.models import ApiKey


@bp.post("/_probe")
@key_required("ingest")
def _probe():
    return jsonify(ok=True)


def _post(client, key, body=b"{}", signature=None):
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if signature:
        headers[keys.SIGNATURE_HEADER] = signature
    return client.post("/api/v1/_probe", data=body, headers=headers)


def test_cli_prints_the_key_once_and_stores_only_its_hash(runner):
    result = runner.invoke(
        main, ["apikeys", "create", "--name", "ehr", "--scope", "ingest"]
    )
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("ap_")
    row = ApiKey.get()
    assert key not in (row.key_hash, row.prefix) and len(row.key_hash) == 64


def test_key_scope_and_revocation_are_enforced(client):
    ingest, row = keys.create("ehr", "ingest")
    export, _ = keys.create("bi", "export")
    assert _post(client, ingest).status_code == 200
    wrong = _post(client, export)
    assert wrong.status_code == 403 and wrong.json["error"]["code"] == "forbidden"
    assert _post(client, "ap_nope").status_code == 401
    keys.revoke(row.prefix)
    revoked = _post(client, ingest)
    assert revoked.status_code == 401
    assert revoked.json["error"]["message"] == "The API key is unknown or revoked."


def test_signed_keys_refuse_unsigned_stale_and_forged_requests(client):
    key, row = keys.create("survey", "ingest", signed=True)
    body = json.dumps({"a": 1}).encode()
    assert _post(client, key, body).json["error"]["code"] == "unsigned"
    stale = keys.sign(row.signing_secret, body, timestamp=1_000_000)
    assert _post(client, key, body, stale).json["error"]["code"] == "stale_signature"
    forged = keys.sign("not-the-secret", body)
    assert _post(client, key, body, forged).json["error"]["code"] == "bad_signature"
    good = keys.sign(row.signing_secret, body)
    assert _post(client, key, body, good).status_code == 200
