"""The API keeps to its OpenAPI document under generated input.

schemathesis reads /api/v1/openapi.json from the running app and sends each
operation a bounded number of generated requests, with valid keys, checking
that no request causes a server error and every response matches the document.
Every other check runs, including that invalid data is refused; the one left
out, that any schema-valid body is accepted, cannot hold for rules JSON Schema
does not carry (an email or a phone; a referral code that exists).
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from portal.api import keys
from portal.models import Location, Member, ServiceLine

EXAMPLES = 40


def test_document_is_openapi_3_1_and_lists_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        and rule.rule != "/api/v1/openapi.json"
        and not rule.rule.startswith("/api/v1/_")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert routes == documented


def _api_schema(app):
    ServiceLine.create(name="Primary care", slug="primary-care")
    Location.create(name="Downtown", slug="downtown")
    Member.create(email="ana@example.com", external_id="EHR-1", first_name="Ana")
    ingest, _ = keys.create("schemathesis", "ingest")
    export, _ = keys.create("schemathesis", "export")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return schema, {"ingest": ingest, "export": export}


def _check(operation, headers):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(
            headers=headers, excluded_checks=[positive_data_acceptance]
        )

    check()


def test_every_operation_matches_the_document(app):
    schema, api_keys = _api_schema(app)
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        scope = "export" if operation.method.upper() == "GET" else "ingest"
        _check(operation, {"Authorization": f"Bearer {api_keys[scope]}"})
        checked += 1
    assert checked >= 4
