"""Proposals from domain events, approvals, denials and fulfilment, on a real DB."""

import datetime

import pytest

from portal import audit, events
from portal.cli import main
from portal.models import (
    Approval,
    AuditEvent,
    Consent,
    OutboxMessage,
    PolicyVersion,
    Recognition,
)
from portal.recognition import consent, ledger, versions, workflow
from portal.recognition.policy import default_rules
from tests import recognition_support as support


@pytest.fixture
def setup(app):
    policy = support.signed_policy()
    return {"policy": policy, "items": support.catalog(), "staff": support.staff()}


def test_a_referred_sign_up_proposes_a_thank_you_note(setup):
    ambassador = support.member()
    signup = support.signup(ambassador)
    events.signup_created.send(signup)

    recognition = Recognition.get()
    assert recognition.member_id == ambassador.id
    assert recognition.trigger == "referred_signup"
    assert recognition.item_id == setup["items"]["note"].id
    assert recognition.status == "proposed" and recognition.value_cents == 0
    assert recognition.policy_version_id == setup["policy"].id
    assert all(check["passed"] for check in recognition.checks)
    event = AuditEvent.get(AuditEvent.action == "recognition.proposed")
    assert event.actor == "system" and event.subject == f"recognition:{recognition.id}"
    assert event.detail["member"] == f"member:{ambassador.id}"


@pytest.mark.parametrize("flags", [{"self_referral": True}, {"existing_patient": True}])
def test_self_referrals_and_existing_patients_never_qualify(setup, flags):
    signup = support.signup(support.member(), **flags)
    events.signup_created.send(signup)
    events.signup_status_changed.send(signup, old_status="new", new_status="seen")
    assert Recognition.select().count() == 0


def test_clinicians_and_staff_are_never_proposed(setup):
    clinician = support.member(is_clinician_or_staff=True)
    events.signup_created.send(support.signup(clinician))
    colleague = support.member(email=setup["staff"].email)
    events.signup_created.send(support.signup(colleague))
    assert Recognition.select().count() == 0


def test_first_visit_is_proposed_once_per_sign_up(setup):
    signup = support.signup(support.member())
    for old, new in [
        ("new", "scheduled"),
        ("scheduled", "seen"),
        ("seen", "became_patient"),
    ]:
        events.signup_status_changed.send(signup, old_status=old, new_status=new)
    visits = Recognition.select().where(Recognition.trigger == "first_visit")
    assert visits.count() == 1
    assert visits.get().item_id == setup["items"]["bottle"].id


def test_membership_retained_proposes_the_donation(setup):
    signup = support.signup(support.member(), kind="membership")
    events.membership_retained.send(signup)
    recognition = Recognition.get()
    assert recognition.trigger == "membership_retained"
    assert recognition.item_id == setup["items"]["donation"].id


def test_nothing_is_proposed_before_a_policy_is_signed(app):
    support.catalog()
    events.signup_created.send(support.signup(support.member()))
    assert Recognition.select().count() == 0


def test_a_failing_proposal_never_undoes_the_sign_up(setup, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(workflow, "propose", broken)
    signup = support.signup(support.member())
    events.signup_created.send(signup)
    assert signup.id and Recognition.select().count() == 0


def _proposed(setup, kind="note", **member_fields):
    member = support.member(**member_fields)
    item = setup["items"][kind]
    return workflow.propose_item(member, item, "first_visit", support.signup(member))


def test_approval_records_the_version_sends_thanks_and_the_event(setup):
    recognition = _proposed(setup, "bottle")
    received = []

    def on_approved(sender, **_):
        received.append(sender)

    events.recognition_approved.connect(on_approved)
    try:
        outcome = workflow.approve(recognition.id, setup["staff"])
    finally:
        events.recognition_approved.disconnect(on_approved)

    stored = Recognition.get_by_id(recognition.id)
    assert outcome.status == "approved" and stored.status == "approved"
    assert stored.value_cents == 1200 and stored.year == ledger.practice_year()
    assert stored.policy_version_id == setup["policy"].id
    assert [r.id for r in received] == [recognition.id]
    assert Approval.select().count() == 1
    mail = OutboxMessage.get(OutboxMessage.kind == "thanks")
    assert mail.to_email == recognition.member.email
    assert mail.subject.startswith("Thank you from")
    assert "Water bottle" in mail.text_body and "/me/recognitions" in mail.text_body
    approved = AuditEvent.get(AuditEvent.action == "recognition.approved")
    assert approved.detail["approvers"] == [f"staff:{setup['staff'].id}"]
    assert approved.detail["policy"] == setup["policy"].number
    assert ledger.year_to_date(recognition.member_id) == 1200


def test_above_the_threshold_two_different_staff_approve(setup):
    recognition = _proposed(setup, "donation")
    first = workflow.approve(recognition.id, setup["staff"])
    assert first.status == "awaiting_second"
    assert Recognition.get_by_id(recognition.id).status == "proposed"
    with pytest.raises(workflow.RecognitionError) as again:
        workflow.approve(recognition.id, setup["staff"])
    assert again.value.code == "same_approver"
    assert OutboxMessage.select().count() == 0

    second = workflow.approve(recognition.id, support.staff("manager"))
    assert second.status == "approved"
    assert Approval.select().count() == 2
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions[-2:] == ["recognition.approval_recorded", "recognition.approved"]


def test_approval_past_the_annual_cap_is_denied_naming_the_check(setup):
    member = support.member()
    for _ in range(6):  # six bottles: $72 of the $75 cap
        signup = support.signup(member)
        Recognition.create(
            member=member,
            item=setup["items"]["bottle"],
            value_cents=1200,
            trigger="first_visit",
            signup=signup,
            status="approved",
            year=ledger.practice_year(),
        )
    signup = support.signup(member)
    recognition = workflow.propose(member, "first_visit", signup)
    outcome = workflow.approve(recognition.id, setup["staff"])

    stored = Recognition.get_by_id(recognition.id)
    assert outcome.status == "denied" and stored.status == "denied"
    assert stored.denial_reason.startswith("annual_cap: $72.00 already approved")
    assert [c["name"] for c in stored.checks if not c["passed"]] == ["annual_cap"]
    denied = AuditEvent.get(AuditEvent.action == "recognition.denied")
    assert denied.detail["failed"] == ["annual_cap"]
    assert ledger.year_to_date(member.id) == 7200


def test_public_recognition_waits_for_the_authorization(setup):
    recognition = _proposed(setup, "wall")
    assert not all(c["passed"] for c in recognition.checks)
    member = recognition.member
    consent.record(member, f"staff:{setup['staff'].id}")
    assert Consent.get().kind == "public_recognition"
    assert workflow.approve(recognition.id, setup["staff"]).status == "approved"

    denied = _proposed(setup, "wall")
    outcome = workflow.approve(denied.id, setup["staff"])
    assert outcome.status == "denied"
    assert Recognition.get_by_id(denied.id).denial_reason.startswith("authorization:")


def test_staff_denial_needs_a_reason_and_keeps_it_off_the_audit_log(setup):
    recognition = _proposed(setup)
    with pytest.raises(workflow.RecognitionError) as empty:
        workflow.deny(recognition.id, setup["staff"], "   ")
    assert empty.value.code == "reason_required"

    workflow.deny(recognition.id, setup["staff"], "Friend  asked us not to")
    stored = Recognition.get_by_id(recognition.id)
    assert stored.status == "denied"
    assert stored.denial_reason == "staff_review: Friend asked us not to"
    assert stored.checks[0] == {
        "name": "staff_review",
        "passed": False,
        "reason": "Friend asked us not to",
    }
    assert len(stored.checks) == 13  # the review and every policy check
    event = AuditEvent.get(AuditEvent.action == "recognition.denied")
    assert event.actor == f"staff:{setup['staff'].id}"
    assert (
        "Friend" not in str(event.detail) and len(event.detail["reason_sha256"]) == 64
    )
    with pytest.raises(workflow.RecognitionError):
        workflow.approve(recognition.id, setup["staff"])


def test_fulfilment_only_after_approval(setup):
    recognition = _proposed(setup)
    with pytest.raises(workflow.RecognitionError) as early:
        workflow.fulfil(recognition.id, setup["staff"])
    assert early.value.code == "wrong_status"
    workflow.approve(recognition.id, setup["staff"])
    workflow.fulfil(recognition.id, setup["staff"])
    stored = Recognition.get_by_id(recognition.id)
    assert stored.status == "fulfilled" and stored.fulfilled_by_id == setup["staff"].id
    assert (
        AuditEvent.select().where(AuditEvent.action == "recognition.fulfilled").count()
        == 1
    )


def test_approval_is_judged_under_the_version_signed_since_the_proposal(setup):
    recognition = _proposed(setup, "bottle")
    rules = default_rules("NC")
    rules["per_item_cap_cents"] = 1000
    officer = setup["policy"].signed_by
    newer = versions.create_version(rules, "cli", officer, "lower per-item cap")
    versions.sign_version(newer, officer, "cli")

    outcome = workflow.approve(recognition.id, setup["staff"])
    stored = Recognition.get_by_id(recognition.id)
    assert outcome.status == "denied" and stored.policy_version_id == newer.id
    assert stored.denial_reason.startswith("per_item_cap:")
    statuses = {v.number: v.status for v in PolicyVersion.select()}
    assert statuses == {1: "superseded", 2: "active"}


def test_versions_need_valid_rules_one_pending_and_a_compliance_signer(setup):
    bad = default_rules("NC")
    bad["forbidden_kinds"] = ["cash"]
    with pytest.raises(versions.PolicyError) as invalid:
        versions.create_version(bad, "cli")
    assert "forbidden_kinds" in dict(invalid.value.errors)
    with pytest.raises(versions.PolicyError):
        versions.create_version(default_rules("NC"), "cli")  # same as in effect

    rules = default_rules("NC")
    rules["annual_cap_cents"] = 5000
    pending = versions.create_version(rules, "cli")
    with pytest.raises(versions.PolicyError) as second:
        versions.create_version(default_rules("GA"), "cli")
    assert "awaiting sign-off" in str(second.value)
    with pytest.raises(versions.PolicyError):
        versions.sign_version(pending, setup["staff"], "cli")  # a staff role
    assert versions.active_version().number == 1
    versions.withdraw_version(pending, "cli")
    assert PolicyVersion.get(PolicyVersion.number == 2).status == "withdrawn"


def test_the_year_is_the_practice_calendar_year():
    from portal import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "sqlite:///:memory:",
            "PRACTICE_TIMEZONE": "America/New_York",
        }
    )
    with app.app_context():
        from portal.db import database
        from portal.models import MODELS

        database.create_tables(MODELS)
        new_year_utc = datetime.datetime(2027, 1, 1, 3, 0)
        assert ledger.practice_year(new_year_utc) == 2026  # still Dec 31 in New York
        assert ledger.practice_year(datetime.datetime(2027, 1, 1, 6, 0)) == 2027
        database.close()


def test_tampering_with_an_approval_event_is_named_by_audit_verify(setup, runner):
    recognition = _proposed(setup, "bottle")
    workflow.approve(recognition.id, setup["staff"])
    audit.record("cli", "test.after", "")
    event = AuditEvent.get(AuditEvent.action == "recognition.approved")
    tampered = dict(event.detail, value_cents=100)
    AuditEvent.update(detail=tampered).where(AuditEvent.id == event.id).execute()
    result = runner.invoke(main, ["audit", "verify"], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"audit event {event.id} content does not match its hash" in result.output


def test_the_thank_you_goes_out_in_the_members_language(setup):
    recognition = _proposed(setup, "note", preferred_language="es")
    workflow.approve(recognition.id, setup["staff"])
    mail = OutboxMessage.get(OutboxMessage.kind == "thanks")
    assert mail.language == "es" and mail.subject.startswith("Gracias de parte de")
    assert "Como pequeño agradecimiento: Thank-you note." in mail.text_body
    assert "no depende de la atención" in mail.html_body
