"""Injection: markup, spreadsheet formulas and email headers typed into every field.

What a person types is stored as they typed it, shown escaped on every page,
neutralised in CSV files, and can never add a header or a recipient to an
email.
"""

import csv
import io
from pathlib import Path

import pytest
from markupsafe import escape

from portal.cli import main
from portal.models import (
    Invitation,
    Location,
    Member,
    MembershipPlan,
    OutboxMessage,
    PracticeSettings,
    Prompt,
    ServiceLine,
    SignUp,
    StaffUser,
    Visit,
)
from portal.practice import practice_today
from portal.prompts import delivery as prompt_delivery
from portal.prompts.intake import ingest_visits
from tests.conftest import sign_in
from tests.mail_helpers import parts, read_eml
from tests.prompt_helpers import make_practice, visit

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HYPERLINK = '=HYPERLINK("http://evil.example","click")'
HEADER = "Bob\r\nBcc: evil@example.com"
PAYLOADS = [SCRIPT, IMG, HYPERLINK, "+1+1", "@SUM(1)", "-2+3", HEADER]
MARKUP = [SCRIPT, IMG]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def shown_escaped(html, payload):
    """The payload is on the page only in its escaped form."""
    return payload not in html and str(escape(payload)) in html


def eml_of(app, row):
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    (path,) = folder.glob(f"*-{row.id:08d}.eml")
    return read_eml(path)


def assert_headers_clean(message, to):
    """One recipient, no header a value smuggled in, one-line subject."""
    assert message.get_all("To") == [to]
    for header in ("Bcc", "Cc"):
        assert message.get_all(header) is None
    subject = message["Subject"]
    assert "\r" not in subject and "\n" not in subject
    head = message.as_bytes().split(b"\n\n", 1)[0]
    assert not [line for line in head.split(b"\n") if line.lower().startswith(b"bcc")]


@pytest.fixture
def clinic(app):
    PracticeSettings.create(
        id=1,
        name="Maple Grove",
        postal_address="1 Main St, Raleigh, NC 27601",
        membership_enabled=True,
    )
    ServiceLine.create(name="Primary care", slug="primary-care")
    Location.create(name="Downtown", slug="downtown")
    return StaffUser.create(email="desk@practice.example", role="manager")


def sign_up(client, payload, n):
    return client.post(
        "/join",
        data={
            "first_name": payload,
            "last_name": payload,
            "email": f"friend{n}@example.net",
            "service_line": "primary-care",
            "location": "downtown",
            "how_heard": "other",
            "how_heard_detail": payload,
            "utm_source": payload,
            "utm_campaign": payload,
            "email_consent": "1",
        },
    )


def test_sign_up_fields_are_stored_as_typed_and_shown_escaped(app, client, clinic):
    for n, payload in enumerate(PAYLOADS):
        response = sign_up(client, payload, n)
        assert response.status_code == 303, response.text
        thanks = client.get(response.headers["Location"]).text
        if payload in MARKUP:
            assert shown_escaped(thanks, payload)

    stored = list(SignUp.select().order_by(SignUp.id))
    assert [s.first_name for s in stored] == [p.strip() for p in PAYLOADS]
    assert [s.how_heard_detail for s in stored] == [p.strip() for p in PAYLOADS]
    assert [s.utm_source for s in stored] == [p.strip() for p in PAYLOADS]

    sign_in(client, f"s:{clinic.id}:1")
    page = client.get("/staff/signups").text
    for payload in MARKUP:
        assert shown_escaped(page, payload)
    assert "<script>alert" not in page and "<img src=x" not in page


def test_the_sign_ups_csv_neutralises_every_formula(app, client, clinic):
    for n, payload in enumerate(PAYLOADS):
        sign_up(client, payload, n)
    sign_in(client, f"s:{clinic.id}:1")
    today = practice_today().isoformat()

    response = client.get(f"/reports/signups.csv?from={today}&to={today}")

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(PAYLOADS)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_STARTS), (column, cell)
    details = [row["how_heard_detail"] for row in rows]
    assert details[2] == "'" + HYPERLINK
    assert details[3:6] == ["'+1+1", "'@SUM(1)", "'-2+3"]
    assert [row["utm_source"] for row in rows][2] == "'" + HYPERLINK


def test_the_audit_csv_has_no_cell_a_spreadsheet_would_run(app, client, clinic):
    for n, payload in enumerate(PAYLOADS):
        sign_up(client, payload, n)
        SignUp.update(status="new").execute()
    compliance = StaffUser.create(email="cco@practice.example", role="compliance")
    sign_in(client, f"s:{compliance.id}:1")

    response = client.get("/compliance/audit/export.csv")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) > len(PAYLOADS)
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    assert not any(p.strip() in response.text for p in MARKUP + [HYPERLINK])


def test_the_confirmation_email_escapes_the_name_and_adds_no_header(
    app, client, clinic
):
    for n, payload in enumerate(PAYLOADS):
        sign_up(client, payload, n)

    rows = list(OutboxMessage.select().order_by(OutboxMessage.id))
    assert len(rows) == len(PAYLOADS)
    for n, (row, payload) in enumerate(zip(rows, PAYLOADS, strict=True)):
        assert row.status == "sent"
        message = eml_of(app, row)
        assert_headers_clean(message, f"friend{n}@example.net")
        text, html = parts(message)
        if payload in MARKUP:
            assert shown_escaped(html, payload)
            assert payload in text  # plain text carries it as text
    header_mail = eml_of(app, rows[-1])
    assert header_mail["Subject"].endswith("Bob Bcc: evil@example.com")


def test_an_address_with_a_header_in_it_is_refused(app, client, clinic):
    response = client.post(
        "/join",
        data={
            "first_name": "Eve",
            "email": "eve@example.net\r\nBcc: evil@example.com",
            "how_heard": "organic_search",
            "email_consent": "1",
        },
    )
    assert response.status_code == 422
    assert SignUp.select().count() == 0
    assert OutboxMessage.select().count() == 0

    client.post("/login", data={"email": "desk@practice.example\nBcc: e@x.example"})
    client.post("/login", data={"email": "desk@practice.example%0ABcc:e@x.example"})
    assert OutboxMessage.select().count() == 0


def test_an_invitation_escapes_names_and_note_in_pages_and_email(app, client, clinic):
    plan = MembershipPlan.create(name="Core", monthly_fee_cents=9900)
    inviter = Member.create(
        email="bob@example.com",
        first_name=HEADER,
        plan=plan,
        membership_status="active",
    )
    sign_in(client, f"m:{inviter.id}")

    response = client.post(
        "/me/invitations",
        data={
            "first_name": IMG,
            "email": "sis@example.net",
            "relationship": "family",
            "note": SCRIPT + " " + HYPERLINK,
            "named": "yes",
        },
    )

    assert response.status_code == 302
    (invitation,) = Invitation.select()
    assert (invitation.first_name, invitation.note) == (IMG, SCRIPT + " " + HYPERLINK)
    page = client.get(f"/invite/{invitation.token}").text
    assert shown_escaped(page, SCRIPT)
    (row,) = OutboxMessage.select().where(OutboxMessage.kind == "invitation")
    message = eml_of(app, row)
    assert_headers_clean(message, "sis@example.net")
    assert message["Subject"].startswith("Bob Bcc: evil@example.com invites you")
    text, html = parts(message)
    assert shown_escaped(html, IMG) and shown_escaped(html, SCRIPT)
    assert SCRIPT in text


def test_member_names_are_escaped_on_member_and_staff_pages_and_emails(
    app, client, runner
):
    practice = make_practice(members=1)
    for payload, email in ((SCRIPT, "s@example.com"), (IMG, "i@example.com")):
        result = runner.invoke(
            main, ["members", "add", email, "--first-name", payload, "--last-name", IMG]
        )
        assert result.exit_code == 0, result.output
    scripted = Member.get(Member.email == "s@example.com")
    assert scripted.first_name == SCRIPT

    sign_in(client, f"m:{scripted.id}")
    assert shown_escaped(client.get("/me/").text, SCRIPT)
    approver = StaffUser.create(email="approver@practice.example", role="manager")
    sign_in(client, f"s:{approver.id}:1")
    ledger = client.get(f"/staff/recognition/members/{scripted.id}").text
    assert shown_escaped(ledger, SCRIPT) and shown_escaped(ledger, IMG)

    member = practice.members[0]
    Member.update(first_name=IMG).where(Member.id == member.id).execute()
    ingest_visits([visit(1, member.external_id, 10)])
    prompt = Prompt.get(Prompt.visit == Visit.get(Visit.external_id == "V-1"))
    assert prompt_delivery.run_due(prompt.scheduled_for).sent == 1
    (row,) = OutboxMessage.select().where(OutboxMessage.kind == "prompt")
    message = eml_of(app, row)
    assert_headers_clean(message, member.email)
    _, html = parts(message)
    assert shown_escaped(html, IMG)


def test_a_practice_name_with_a_line_break_cannot_add_a_header(app, client):
    admin = StaffUser.create(email="admin@practice.example", role="admin")
    PracticeSettings.create(id=1, name="Maple", postal_address="1 Main St")
    PracticeSettings.update(name=HEADER, sender_name=HEADER).execute()

    client.post("/login", data={"email": admin.email})

    (row,) = OutboxMessage.select()
    assert OutboxMessage.get_by_id(row.id).status == "sent"
    message = eml_of(app, row)
    assert_headers_clean(message, admin.email)
    (sender,) = message["From"].addresses
    assert sender.addr_spec == "referrals@practice.example"
    assert sender.display_name == "Bob Bcc: evil@example.com"
