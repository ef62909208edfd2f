"""Every route refuses an anonymous request unless it is listed here as public.

The lists are explicit on purpose: a new public page or a new CSRF exemption
must be added here, where a reviewer sees it.
"""

import uuid

import pytest

from portal.models import Member
from tests.conftest import sign_in

# Endpoints anyone may open without signing in.
PUBLIC = {
    "static",
    "main.home",
    "main.healthz",
    "main.set_language",
    "main.accessibility",
    "main.language_help",
    "main.brand_css",
    "main.logo",
    "accounts.login",
    "accounts.login_link",
    "accounts.unsubscribe",
    "api.openapi",
    "invitations.page",
    "invitations.personal",
    "referrals.follow",
    "referrals.card",
    "referrals.qr_image",
    "referrals.join",
    "referrals.join_line",
    "referrals.join_post",
    "referrals.thanks",
    # Opened from an emailed link whose signed token is the credential.
    "prompts.share",
    "prompts.share_via",
    "prompts.dismiss",
    "prompts.stop",
    "prompts.survey_answer",
    "prompts.survey_contact",
}

# State-changing endpoints that take no CSRF token, and why.
CSRF_EXEMPT = {
    # Mail clients send the RFC 8058 one-click POST with no session.
    "accounts.unsubscribe",
}

# Path prefixes only staff may open; a signed-in member must get 403 there.
STAFF_PREFIXES = ("/staff/", "/reports", "/compliance")

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def dummy_value(converter):
    """A value of the right shape for a URL parameter, pointing at nothing real."""
    kind = type(converter).__name__
    if kind == "IntegerConverter":
        return 1
    if kind == "FloatConverter":
        return 1.0
    if kind == "UUIDConverter":
        return uuid.UUID(int=1)
    if kind == "AnyConverter":
        return sorted(converter.items)[0]
    if kind == "PathConverter":
        return "dummy/path"
    return "dummy"


def url_for_rule(rule):
    values = {
        name: dummy_value(converter)
        for name, converter in rule._converters.items()
        if name not in (rule.defaults or {})
    }
    _, path = rule.build(values, append_unknown=False)
    return path


def requests(app, public):
    """Yield (endpoint, method, path) for every route, public ones or not."""
    for rule in app.url_map.iter_rules():
        if (rule.endpoint in PUBLIC) != public:
            continue
        for method in sorted(rule.methods - SKIPPED_METHODS):
            yield rule.endpoint, method, url_for_rule(rule)


def call(client, method, path):
    return client.open(path, method=method, headers={"Accept": "text/html"})


def test_the_route_walk_covers_routes_with_parameters(app):
    walked = list(requests(app, public=False))
    assert any("/1/" in path or path.endswith("/1") for _, _, path in walked)
    assert ("accounts.staff_list", "GET", "/staff/users") in walked


def test_every_non_public_route_refuses_anonymous_requests(app, client):
    wrong = []
    for endpoint, method, path in requests(app, public=False):
        response = call(client, method, path)
        if path.startswith("/api/"):
            error = (response.get_json(silent=True) or {}).get("error", {})
            if response.status_code != 401 or not error.get("code"):
                wrong.append((endpoint, method, path, response.status_code))
            continue
        location = response.headers.get("Location", "")
        refused = response.status_code in (401, 403) or (
            response.status_code == 302 and location.startswith("/login")
        )
        if not refused:
            wrong.append((endpoint, method, path, response.status_code))
    assert wrong == []


def test_every_public_endpoint_still_exists(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert PUBLIC - endpoints == set()


def test_a_member_gets_403_from_every_staff_route(app, client):
    member = Member.create(email="ana@example.com", first_name="Ana")
    sign_in(client, f"m:{member.id}")
    wrong = []
    for endpoint, method, path in requests(app, public=False):
        if path.startswith(STAFF_PREFIXES):
            status = call(client, method, path).status_code
            if status != 403:
                wrong.append((endpoint, method, path, status))
    assert wrong == []


@pytest.mark.parametrize("public", [True, False])
def test_every_state_changing_form_needs_a_csrf_token(app, client, public):
    app.config["WTF_CSRF_ENABLED"] = True
    wrong = []
    for endpoint, method, path in requests(app, public=public):
        if method == "GET" or path.startswith("/api/") or endpoint in CSRF_EXEMPT:
            continue
        response = call(client, method, path)
        if response.status_code != 400:
            wrong.append((endpoint, method, path, response.status_code))
    assert wrong == []
