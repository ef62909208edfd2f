"""Attacks on access: another member's records, the wrong staff role, open redirects.

Member A is signed in and tries every member page with member B's ids, codes
and tokens; staff of each role try every route their role does not open; and
every place that takes a return address is fed addresses off the site.
"""

from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
from itsdangerous import URLSafeTimedSerializer

from portal.accounts.users import PERMISSIONS
from portal.db import utcnow
from portal.models import (
    CatalogItem,
    Consent,
    Invitation,
    Member,
    MembershipPlan,
    PracticeSettings,
    Prompt,
    Recognition,
    ReferralLink,
    ServiceLine,
    SignUp,
    StaffUser,
    Visit,
)
from portal.prompts import tokens
from tests.conftest import sign_in
from tests.mail_helpers import last_sign_in_link
from tests.test_route_access import PUBLIC, requests

# Member B's details; none may appear in anything member A is shown.
B_SECRETS = (
    "Bartholomew",
    "Quxley",
    "bart.quxley@example.com",
    "+19195550777",
    "Zebedee",  # B's referred friend
    "zeb.friend@example.net",
    "Philippa",  # B's invited sister
    "pip.sister@example.net",
    "BQX7K2M9PZ",  # B's referral code
    "Quiet thanks for Bartholomew",
)


def practice():
    PracticeSettings.create(
        id=1,
        name="Maple Grove",
        postal_address="1 Main St, Raleigh, NC 27601",
        membership_enabled=True,
    )
    return MembershipPlan.create(name="Core", monthly_fee_cents=9900)


def a_member(plan, first, last, email, code, phone=None):
    member = Member.create(
        email=email,
        first_name=first,
        last_name=last,
        phone=phone,
        plan=plan,
        membership_status="active",
        membership_started_on=date(2026, 1, 1),
    )
    ReferralLink.create(member=member, code=code)
    return member


@pytest.fixture
def people(app):
    plan = practice()
    alice = a_member(plan, "Alice", "Archer", "alice@example.com", "AAR4N8R2TW")
    bart = a_member(
        plan, "Bartholomew", "Quxley", "bart.quxley@example.com", "BQX7K2M9PZ"
    )
    Member.update(phone="+19195550777").where(Member.id == bart.id).execute()
    friend = SignUp.create(
        first_name="Zebedee",
        email="zeb.friend@example.net",
        ambassador=bart,
        link=ReferralLink.get(ReferralLink.member == bart),
        how_heard="patient_referral",
        channel="link",
        status="became_patient",
    )
    Invitation.create(
        inviter=bart,
        token="b-invitation-token-0001",
        first_name="Philippa",
        email="pip.sister@example.net",
        note="See you soon, Pip",
        sent_at=utcnow(),
    )
    item = CatalogItem.create(
        name="Quiet thanks for Bartholomew",
        kind="thank_you_note",
        retail_value_cents=0,
    )
    Recognition.create(
        member=bart,
        item=item,
        value_cents=0,
        trigger="signup_became_patient",
        signup=friend,
        status="approved",
        year=utcnow().year,
        decided_at=utcnow(),
    )
    line = ServiceLine.create(name="Primary care", slug="primary-care")
    visit = Visit.create(
        external_id="V-B-1", member=bart, service_line=line, visited_at=utcnow()
    )
    prompt = Prompt.create(
        visit=visit, member=bart, status="sent", reason_code="ok", sent_at=utcnow()
    )
    return alice, bart, prompt


def leaked(body, asked=""):
    """B's details in a page, leaving out what the request itself carried."""
    return [s for s in B_SECRETS if s in body and s not in asked]


# --- member A with member B's ids, codes and tokens --------------------------


def test_member_pages_show_only_the_signed_in_members_records(client, people):
    alice, bart, _ = people
    sign_in(client, f"m:{alice.id}")
    foreign = f"?member_id={bart.id}&member={bart.id}&id={bart.id}&code=BQX7K2M9PZ"
    pages = ["/me/", "/me/invitations", "/me/recognitions"]
    seen = {}
    for path in pages:
        for suffix in ("", foreign):
            response = client.get(path + suffix)
            seen[path + suffix] = (
                response.status_code,
                leaked(response.text, asked=path + suffix),
            )
    assert all(status == 200 for status, _ in seen.values()), seen
    assert {path: found for path, (_, found) in seen.items() if found} == {}
    assert "Alice" in client.get("/me/").text


def test_member_forms_change_only_the_signed_in_members_rows(client, people):
    alice, bart, _ = people
    sign_in(client, f"m:{alice.id}")

    client.post("/me/naming", data={"named": "1", "member_id": bart.id})
    client.post(
        "/me/invitations",
        data={
            "first_name": "Carla",
            "email": "carla@example.net",
            "relationship": "friend",
            "inviter": bart.id,
            "member_id": bart.id,
        },
    )

    assert Member.get_by_id(alice.id).named_to_friends is True
    assert Member.get_by_id(bart.id).named_to_friends is False
    assert [c.member_id for c in Consent.select()] == [alice.id]
    carla = Invitation.get(Invitation.email == "carla@example.net")
    assert carla.inviter_id == alice.id
    assert Invitation.select().where(Invitation.inviter == bart).count() == 1


def test_another_members_card_ledger_and_staff_pages_are_refused(client, people):
    alice, bart, _ = people
    sign_in(client, f"m:{alice.id}")
    attempts = {
        "/r/BQX7K2M9PZ/card": 403,
        "/r/BQX7K2M9PZ/card?sheet=1": 403,
        f"/staff/recognition/members/{bart.id}": 403,
        "/staff/signups?q=Zebedee": 403,
        "/reports/signups.csv": 403,
    }
    for path, status in attempts.items():
        response = client.get(path)
        assert (path, response.status_code) == (path, status)
        assert leaked(response.text, asked=path) == []
    assert client.get("/r/AAR4N8R2TW/card").status_code == 200


def test_forged_and_borrowed_tokens_open_nothing_of_another_member(app, client, people):
    alice, bart, prompt = people
    sign_in(client, f"m:{alice.id}")
    wrong_key = URLSafeTimedSerializer("not-the-secret-key", salt=tokens.SHARE)
    real = tokens.share_token(prompt.id)
    payload, signature = real.rsplit(".", 1)[0], real.rsplit(".", 1)[1]
    forged = [
        wrong_key.dumps(prompt.id),  # signed with a guessed key
        # A signature with its first character changed (the last ones carry
        # padding bits that may not change the decoded value).
        f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}",
        tokens.share_token(prompt.id + 1),  # no prompt of that id
        tokens.contact_token(prompt.id),  # a genuine token of another purpose
        str(prompt.id),
    ]
    for token in forged:
        for path in (f"/share/{token}", f"/share/{token}/sms"):
            response = client.get(path, headers={"User-Agent": "Mozilla/5.0"})
            assert response.status_code == 404, path
            assert leaked(response.text) == []
        assert client.post(f"/share/{token}/stop").status_code == 404
        assert client.post(f"/share/{token}/dismiss").status_code == 404
    assert Member.get_by_id(bart.id).prompts_opt_out is False
    assert Prompt.get_by_id(prompt.id).dismissed_at is None

    for token in ("b-invitation-token-0002", "1", str(bart.id)):
        response = client.get(f"/invite/{token}")
        assert response.status_code == 404 and leaked(response.text) == []
    for guess in ("BQX7K2M9PA", "bqx7k2m9p", "../me"):
        assert client.get(f"/r/{guess}/card").status_code in (403, 404)


def test_public_pages_of_a_members_code_do_not_name_the_member(client, people):
    _, bart, _ = people
    for path in (
        "/r/BQX7K2M9PZ",
        "/join?ref=BQX7K2M9PZ",
        "/invite/m/BQX7K2M9PZ",
        "/invite/b-invitation-token-0001",
    ):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        shown = [s for s in leaked(response.text) if s != "BQX7K2M9PZ"]
        assert shown == [], path


# --- staff of the wrong role --------------------------------------------------

GUARDS = {
    # path prefix: the permissions that open it, most specific prefix first
    "/compliance": ("compliance",),
    "/reports": ("reports",),
    "/setup": ("settings",),
    "/staff/users": ("admin",),
    "/staff/webhooks": ("settings",),
    "/staff/membership": ("settings",),
    "/staff/invitations": ("reports",),
    "/staff/prompts/rules": ("settings",),
    "/staff/prompts": ("signups",),
    "/staff/recognition/members/1/authorization": ("approve",),
    # Compliance officers read a member's ledger but approve nothing.
    "/staff/recognition/members/": ("approve", "compliance"),
    "/staff/recognition/": ("approve",),
    "/staff/signups": ("signups",),
    "/staff/links": ("signups",),
    "/staff/outbox": ("mail",),
}


def guard_of(path):
    for prefix, permissions in GUARDS.items():
        if path.startswith(prefix):
            return set(permissions)
    return None


@pytest.mark.parametrize("role", sorted(PERMISSIONS))
def test_each_staff_role_gets_403_wherever_its_role_does_not_reach(app, client, role):
    staff = StaffUser.create(email=f"{role}@practice.example", role=role)
    sign_in(client, f"s:{staff.id}:1")
    walked, wrong = 0, []
    for endpoint, method, path in requests(app, public=False):
        permissions = guard_of(path)
        if permissions is None or permissions & PERMISSIONS[role]:
            continue
        walked += 1
        status = client.open(path, method=method).status_code
        if status != 403:
            wrong.append((endpoint, method, path, status))
    assert wrong == []
    if role != "admin":
        assert walked > 0


def test_every_staff_route_is_named_in_the_guard_table(app):
    unguarded = [
        path
        for endpoint, _, path in requests(app, public=False)
        if path.startswith(("/staff/", "/reports", "/compliance", "/setup"))
        and path != "/staff/"
        and guard_of(path) is None
        and endpoint not in PUBLIC
    ]
    assert unguarded == []


# --- return addresses that try to leave the site ------------------------------

OFF_SITE = [
    "//evil.example",
    "//evil.example/path",
    "https://evil.example",
    "http://evil.example/login",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "///evil.example",
    " //evil.example",
    "/\t/evil.example",
    "/\r\nLocation: https://evil.example",
    "https:evil.example",
    "data:text/html,<script>alert(1)</script>",
]


def stays_on_site(location):
    """True when a browser following Location stays on the portal."""
    if any(ch in location for ch in "\\\r\n\t"):
        return False
    resolved = urlsplit(urljoin("http://portal.test/here", location))
    return resolved.scheme == "http" and resolved.netloc == "portal.test"


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_never_leaves_the_site(client, target):
    response = client.post("/language", data={"language": "es", "next": target})
    assert response.status_code == 302
    assert stays_on_site(response.headers["Location"]), response.headers["Location"]


def test_sign_in_never_returns_off_site(app, client):
    staff = StaffUser.create(email="desk@practice.example", role="staff")
    for target in OFF_SITE:
        form = client.get("/login", query_string={"next": target}).text
        assert "<script>alert(1)" not in form
        client.post("/login", data={"email": staff.email, "next": target})
        link = last_sign_in_link(app).replace("http://portal.test", "")
        response = client.get(link)
        assert response.status_code == 302
        location = response.headers["Location"]
        assert stays_on_site(location), (target, location)
        client.post("/logout")


def test_staff_status_changes_never_return_off_site(app, client):
    staff = StaffUser.create(email="desk@practice.example", role="staff")
    signup = SignUp.create(first_name="Dana", email="dana@example.net")
    sign_in(client, f"s:{staff.id}:1")
    for target in OFF_SITE:
        response = client.post(
            f"/staff/signups/{signup.id}/status",
            data={"status": "contacted", "back": target},
        )
        assert response.status_code == 303
        assert stays_on_site(response.headers["Location"]), target
