"""Access and erasure requests, retention lifetimes, and restorable backups."""

import json
import sqlite3
from datetime import timedelta

import pytest

from portal import audit
from portal.cli import main
from portal.db import utcnow
from portal.models import (
    MODELS,
    AuditEvent,
    Click,
    Consent,
    Invitation,
    Member,
    OneTimeToken,
    OutboxMessage,
    ReferralLink,
    SatisfactionSignal,
    SignUp,
    Visit,
)


@pytest.fixture
def member(app):
    member = Member.create(
        email="ana@example.com",
        phone="+19195550101",
        first_name="Ana",
        last_name="Lopez",
        external_id="EHR-1",
    )
    Consent.create(member=member, kind="email", granted=True, version="2026-01")
    link = ReferralLink.create(member=member, code="ABCDEFGH23")
    Click.create(link=link, ip_hash="h" * 32, browser_family="Chrome")
    SignUp.create(first_name="Friend", email="friend@example.net", ambassador=member)
    visit = Visit.create(external_id="V1", member=member, visited_at=utcnow())
    SatisfactionSignal.create(visit=visit, scale="nps", score=10)
    Invitation.create(
        inviter=member, token="tok", first_name="Rosa", email="r@example.com", note="hi"
    )
    OutboxMessage.create(
        kind="prompt",
        to_email="ana@example.com",
        subject="Share",
        text_body="Hello Ana",
        html_body="<p>Hello Ana</p>",
    )
    return member


def test_export_holds_the_member_record_but_not_the_friends(runner, member, tmp_path):
    out = tmp_path / "ana.json"
    result = runner.invoke(main, ["members", "export", "ana@example.com", "--out", out])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert document["member"]["first_name"] == "Ana"
    assert document["consents"][0]["kind"] == "email"
    assert document["referral_links"][0]["clicks"] == 1
    assert document["referred_signups"] == 1
    assert document["satisfaction_signals"][0]["score"] == 10
    assert document["emails"][0]["subject"] == "Share"
    assert "friend@example.net" not in out.read_text()
    assert AuditEvent.get().action == "member.exported"


def test_erasure_pseudonymises_and_keeps_the_audit_chain(runner, member):
    audit.record(f"member:{member.id}", "member.signed_in", f"member:{member.id}")
    result = runner.invoke(main, ["members", "erase", "ana@example.com", "--yes"])
    assert result.exit_code == 0, result.output
    erased = Member.get_by_id(member.id)
    assert erased.erased_at and erased.pseudonym.startswith("erased-")
    assert (erased.email, erased.phone, erased.first_name, erased.external_id) == (
        None,
        None,
        "",
        None,
    )
    assert ReferralLink.get().revoked_at is not None
    message = OutboxMessage.get()
    assert message.to_email == erased.pseudonym and "Ana" not in message.text_body
    assert Invitation.get().note == ""
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert event.action == "member.erased"
    assert event.detail == {"pseudonym": erased.pseudonym}
    assert runner.invoke(main, ["audit", "verify"]).exit_code == 0
    assert Visit.select().count() == 1  # counts for reports stay


def test_erase_of_an_unknown_address_changes_nothing(runner, member):
    result = runner.invoke(main, ["members", "erase", "nobody@example.com", "--yes"])
    assert result.exit_code == 1
    assert Member.get_by_id(member.id).email == "ana@example.com"


def test_retention_removes_only_what_is_past_its_lifetime(runner, member):
    now = utcnow()
    link = ReferralLink.get()
    old = Click.create(link=link, ip_hash="o" * 32, clicked_at=now - timedelta(days=31))
    ancient = Click.create(link=link, clicked_at=now - timedelta(days=500))
    OneTimeToken.create(
        nonce="n1",
        purpose="login",
        subject_kind="member",
        subject_id=member.id,
        expires_at=now - timedelta(days=3),
    )
    OutboxMessage.update(status="sent", created_at=now - timedelta(days=100)).execute()
    result = runner.invoke(main, ["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "click_hashes: 1" in result.output and "clicks: 1" in result.output
    assert Click.get_by_id(old.id).ip_hash is None
    assert Click.get_or_none(Click.id == ancient.id) is None
    assert Click.select().where(Click.ip_hash == "h" * 32).exists()  # recent kept
    assert OneTimeToken.select().count() == 0
    assert OutboxMessage.get().text_body == "" and OutboxMessage.get().subject


def test_backup_is_consistent_and_restores_every_row(runner, member, tmp_path, backend):
    out = tmp_path / "backup.db"
    result = runner.invoke(main, ["db", "backup", "--out", out])
    if backend == "postgres":
        assert result.exit_code == 1 and "pg_dump" in result.output
        return
    assert result.exit_code == 0, result.output
    restored = sqlite3.connect(out)
    for model in MODELS:
        table = model._meta.table_name
        count = restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        assert count == model.select().count(), table
    email = restored.execute("SELECT email FROM member").fetchone()[0]
    assert email == "ana@example.com"
    again = runner.invoke(main, ["db", "backup", "--out", out])
    assert again.exit_code == 1 and "exists" in again.output
