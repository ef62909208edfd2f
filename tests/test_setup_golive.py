"""Go live: counsel's document, the referral pages zip, card sheets, finishing."""

import io
import re
import zipfile
from pathlib import Path

from portal.models import (
    AuditEvent,
    Member,
    PracticeSettings,
    ReferralLink,
    ServiceLine,
    StaffUser,
)
from portal.setup import golive, member_files
from tests.conftest import sign_in
from tests.setup_helpers import named_practice


def progress_done():
    return PracticeSettings.get_by_id(1).setup_progress.get("done", {})


def test_program_document_downloads_and_is_ticked_off(client):
    named_practice(client)
    client.post("/setup/program", data={"catalog": "starter", "prompts": ["default"]})
    response = client.get("/setup/document.html")
    html = response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="program-document-'
    )
    assert "style-src 'sha256-" in response.headers["Content-Security-Policy"]
    assert "Cedar Ridge Care" in html and "Handwritten thank-you note" in html
    assert "document" in progress_done()
    event = AuditEvent.get(AuditEvent.action == "document.exported")
    assert event.detail == {"format": "html", "via": "setup"}


def test_referral_pages_come_as_a_zip_from_the_landing_builder(client):
    named_practice(client)
    ServiceLine.create(name="Pediatrics", slug="pediatrics")
    response = client.get("/setup/referral-pages.zip")
    assert response.mimetype == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(response.data)).namelist())
    assert {"index.html", "pediatrics/index.html", "es/index.html"} <= names
    assert "assets/brand.css" in names
    page = zipfile.ZipFile(io.BytesIO(response.data)).read("index.html").decode()
    assert 'action="http://portal.test/join"' in page
    assert "landing" in progress_done()
    # The next page still has its database after the build's own request ended.
    assert client.get("/setup/golive").status_code == 200


def test_card_sheet_for_chosen_members_carries_codes_not_names(client):
    named_practice(client)
    ana = Member.create(email="ana@example.com", first_name="Ana", last_name="Alvarez")
    ben = Member.create(email="ben@example.com", first_name="Ben")
    chooser = client.get("/setup/cards?q=alva").get_data(as_text=True)
    assert f'name="member" value="{ana.id}"' in chooser
    assert f'value="{ben.id}"' not in chooser

    html = client.get(f"/setup/cards?member={ana.id}&member={ben.id}").get_data(
        as_text=True
    )
    codes = {link.member_id: link.code for link in ReferralLink.select()}
    assert set(codes) == {ana.id, ben.id}
    for code in codes.values():
        assert f"/r/{code}/qr.svg?c=print" in html
        assert f"{code[:5]}-{code[5:]}" in html
    cards = re.findall(r'<div class="referral-card".*?</div>\s*</div>', html, re.S)
    assert len(cards) == 2
    assert all("Ana" not in card and "Alvarez" not in card for card in cards)
    assert "For Ana Alvarez" in html  # the caption outside the border
    assert "cards" in progress_done()


def test_practice_cards_lead_to_the_tagged_referral_page(client):
    named_practice(client)
    html = client.get("/setup/cards?practice=3").get_data(as_text=True)
    assert html.count('class="referral-card"') == 3
    assert html.count('src="/setup/cards/practice-qr.svg"') == 3
    qr = client.get("/setup/cards/practice-qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    assert golive.practice_address() == (
        "http://portal.test/join?utm_source=front_desk_card&utm_medium=print"
    )
    join = client.get("/join?utm_source=front_desk_card&utm_medium=print")
    assert 'name="utm_source" value="front_desk_card"' in join.get_data(as_text=True)


def test_a_sheet_needs_something_chosen(client):
    named_practice(client)
    html = client.get("/setup/cards?practice=0").get_data(as_text=True)
    assert "Choose at least one member, or a number of practice cards." in html
    assert "cards" not in progress_done()


def test_checklist_shows_what_is_left_and_finish_makes_setup_complete(client, app):
    named_practice(client)
    client.post(
        "/setup/members/upload",
        data={
            "members_file": (io.BytesIO(b"email,first_name\na@b.example,A\n"), "m.csv")
        },
        content_type="multipart/form-data",
    )
    waiting = Path(app.instance_path) / member_files.FOLDER
    assert list(waiting.glob("*.csv"))
    html = client.get("/setup/golive").get_data(as_text=True)
    assert 'id="check-policy"' in html and "no policy yet" in html
    assert "none yet: an administrator can sign" in html
    assert 'id="check-plans"' in html  # the practice runs memberships
    assert '<a href="/staff/membership">Do it now</a>' in html
    assert 'href="/staff/users"' not in html  # only an administrator adds staff
    response = client.post("/setup/finish")
    assert response.headers["Location"] == "/setup/golive"
    row = PracticeSettings.get_by_id(1)
    assert row.setup_completed_at is not None
    assert row.setup_progress["steps"]["golive"]["state"] == "done"
    assert AuditEvent.select().where(AuditEvent.action == "setup.completed").exists()
    assert not list(waiting.glob("*.csv"))  # no members file outlives setup
    assert "Setup was finished on" in client.get("/setup/golive").get_data(as_text=True)


def test_finish_needs_the_practice_details(client):
    user = StaffUser.create(email="admin@cedar.example", role="admin")
    sign_in(client, f"s:{user.id}:1")
    response = client.post("/setup/finish")
    assert response.headers["Location"] == "/setup/practice"
    assert PracticeSettings.get_by_id(1).setup_completed_at is None


def test_admin_is_offered_to_sign_the_pending_policy(client):
    user = StaffUser.create(email="admin@cedar.example", role="admin")
    sign_in(client, f"s:{user.id}:1")
    client.post(
        "/setup/practice",
        data={
            "name": "Cedar",
            "postal_address": "1 Main St",
            "timezone": "America/Chicago",
            "us_state": "TX",
        },
    )
    client.post("/setup/program", data={"catalog": "empty"})
    html = client.get("/setup/golive").get_data(as_text=True)
    assert "Policy version 1 waits for the compliance officer" in html
    assert 'href="/compliance/#pending-version"' in html
