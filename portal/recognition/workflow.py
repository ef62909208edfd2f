"""Proposals, approvals, denials and fulfilment, each judged and audited.

Other areas propose a recognition with ``propose(member, trigger, signup)``;
the receivers in ``receivers.py`` do it for the domain events.
"""

import hashlib
import logging
from dataclasses import dataclass

from peewee import IntegrityError

from portal import audit, events
from portal.db import database, is_sqlite, utcnow, write_transaction
from portal.mail import send_email
from portal.models import Approval, CatalogItem, Member, Recognition
from portal.recognition import ledger
from portal.recognition.policy import Check, Decision, evaluate
from portal.recognition.versions import active_version
from portal.web import external_url

log = logging.getLogger("portal")

REASON_MAX = 500


class RecognitionError(Exception):
    """An action that cannot be taken on this recognition; the message says why."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Outcome:
    """What an approval did: approved, awaiting_second or denied."""

    status: str
    recognition: Recognition
    decision: Decision


def item_for(kind):
    """Return the catalog item a trigger proposes: the first active one of a kind."""
    return (
        CatalogItem.select()
        .where(CatalogItem.kind == kind, CatalogItem.active == True)  # noqa: E712
        .order_by(CatalogItem.id)
        .first()
    )


def judge(member, item, trigger, signup, version, ytd_cents):
    """Evaluate one recognition under a policy version (None: nothing signed)."""
    if version is None:
        failed = Check("policy_signed", False, "no policy version has been signed")
        return Decision(checks=(failed,), approvals_required=1)
    return evaluate(
        version.rules,
        ledger.item_facts(item),
        ledger.member_facts(member),
        ytd_cents,
        trigger,
        ledger.signup_facts(signup),
    )


def current_decision(recognition, version, ytd_cents):
    """Judge a stored recognition as it would be judged right now."""
    return judge(
        recognition.member,
        recognition.item,
        recognition.trigger,
        recognition.signup,
        version,
        ytd_cents,
    )


def propose(member, trigger, signup=None, actor="system"):
    """Propose the trigger's recognition for a member; None when nothing qualifies.

    Self-referrals, existing patients, clinicians and staff never get a
    proposal, and each (member, trigger, sign-up) is proposed once.
    """
    version = active_version()
    reason = _not_proposable(member, trigger, signup, version)
    if reason:
        log.info("recognition not proposed trigger=%s reason=%s", trigger, reason)
        return None
    item = item_for(version.rules["triggers"][trigger]["item_kind"])
    if item is None:
        log.info("recognition not proposed trigger=%s reason=no_active_item", trigger)
        return None
    return propose_item(member, item, trigger, signup, actor)


def propose_item(member, item, trigger, signup=None, actor="system"):
    """Propose one catalog item, judged now; the stored checks show any failure.

    The caller has decided the member and event qualify; this stores the
    proposal (once per member, trigger and sign-up) for staff to decide.
    """
    existing = _existing(member, trigger, signup)
    if existing is not None:
        return existing
    version = active_version()
    decision = judge(
        member, item, trigger, signup, version, ledger.year_to_date(member.id)
    )
    try:
        with database.atomic():
            return _store_proposal(
                member, item, trigger, signup, version, decision, actor
            )
    except IntegrityError:
        return _existing(member, trigger, signup)


def _not_proposable(member, trigger, signup, version):
    if member is None:
        return "no_member"
    if version is None:
        return "no_signed_policy"
    setting = version.rules.get("triggers", {}).get(trigger)
    if not setting or not setting.get("enabled"):
        return "trigger_off"
    if signup is not None and (signup.self_referral or signup.existing_patient):
        return "not_a_genuine_referral"
    facts = ledger.member_facts(member)
    if facts.clinician_or_staff:
        return "clinician_or_staff"
    if facts.erased:
        return "erased"
    return ""


def _existing(member, trigger, signup):
    return Recognition.get_or_none(
        Recognition.member == member.id,
        Recognition.trigger == trigger,
        Recognition.signup == (signup.id if signup else None),
    )


def _store_proposal(member, item, trigger, signup, version, decision, actor):
    recognition = Recognition.create(
        member=member.id,
        item=item.id,
        value_cents=item.retail_value_cents,
        trigger=trigger,
        signup=signup.id if signup else None,
        policy_version=version.id if version else None,
        checks=decision.as_list(),
        year=ledger.practice_year(),
    )
    audit.record(
        actor,
        "recognition.proposed",
        f"recognition:{recognition.id}",
        {
            "member": f"member:{member.id}",
            "item": item.id,
            "value_cents": item.retail_value_cents,
            "trigger": trigger,
            "signup": signup.id if signup else None,
            "policy": version.number if version else None,
            "failed": [check.name for check in decision.failed],
        },
    )
    return recognition


def _locked(model, pk):
    # SQLite's IMMEDIATE transaction already holds the only write lock.
    query = model.select().where(model.id == pk)
    if not is_sqlite():
        query = query.for_update()
    return query.get()


def _open_recognition(recognition_id, lock_member=False):
    found = Recognition.get_or_none(Recognition.id == recognition_id)
    if found is None:
        raise RecognitionError("not_found", "no such recognition")
    if lock_member:
        # The member row is the lock every approval for that member queues on.
        _locked(Member, found.member_id)
    return _locked(Recognition, recognition_id)


def approve(recognition_id, staff):
    """Record one approval after judging again; deny when any check fails."""
    actor = f"staff:{staff.id}"
    with write_transaction():
        recognition = _open_recognition(recognition_id, lock_member=True)
        _require_status(recognition, "proposed")
        if _already_approved_by(recognition, staff):
            raise RecognitionError(
                "same_approver", "a second, different staff user must approve"
            )
        version = active_version()
        decision = current_decision(
            recognition, version, ledger.year_to_date(recognition.member_id)
        )
        recognition.checks = decision.as_list()
        recognition.policy_version = version
        recognition.value_cents = recognition.item.retail_value_cents
        if not decision.allowed:
            _deny(recognition, decision, actor)
            return Outcome("denied", recognition, decision)
        Approval.create(recognition=recognition, staff=staff)
        approvers = _approver_ids(recognition)
        if len(approvers) < decision.approvals_required:
            recognition.save()
            audit.record(
                actor,
                "recognition.approval_recorded",
                f"recognition:{recognition.id}",
                {"approvals": len(approvers), "required": decision.approvals_required},
            )
            return Outcome("awaiting_second", recognition, decision)
        _approve(recognition, version, approvers, actor)
    return Outcome("approved", recognition, decision)


def _already_approved_by(recognition, staff):
    return (
        Approval.select()
        .where(Approval.recognition == recognition.id, Approval.staff == staff.id)
        .exists()
    )


def _approver_ids(recognition):
    query = Approval.select(Approval.staff).where(
        Approval.recognition == recognition.id
    )
    return sorted(row.staff_id for row in query)


def _approve(recognition, version, approvers, actor):
    now = utcnow()
    recognition.status = "approved"
    recognition.decided_at = now
    recognition.year = ledger.practice_year(now)
    recognition.save()
    audit.record(
        actor,
        "recognition.approved",
        f"recognition:{recognition.id}",
        {
            "member": f"member:{recognition.member_id}",
            "value_cents": recognition.value_cents,
            "year": recognition.year,
            "policy": version.number,
            "approvers": [f"staff:{staff_id}" for staff_id in approvers],
        },
    )
    events.recognition_approved.send(recognition)
    _send_thanks(recognition)


def _send_thanks(recognition):
    member = recognition.member
    if not member.email:
        return
    item = recognition.item
    send_email(
        member.email,
        "recognition_thanks",
        {
            "first_name": member.first_name,
            "item_name": item.name,
            "needs_fulfilment": item.kind != "thank_you_note",
            "dashboard_url": external_url("members.recognitions"),
        },
        kind="thanks",
        marketing=False,
        language=member.preferred_language,
    )


def _deny(recognition, decision, actor):
    recognition.status = "denied"
    recognition.decided_at = utcnow()
    recognition.denial_reason = decision.denial_reason()
    recognition.save()
    audit.record(
        actor,
        "recognition.denied",
        f"recognition:{recognition.id}",
        {
            "member": f"member:{recognition.member_id}",
            "failed": [check.name for check in decision.failed],
            "policy": recognition.policy_version.number
            if recognition.policy_version
            else None,
            # The reason may name people; the log keeps only its fingerprint.
            "reason_sha256": hashlib.sha256(
                recognition.denial_reason.encode()
            ).hexdigest(),
        },
    )


def deny(recognition_id, staff, reason):
    """Deny a proposal with the staff user's reason, kept as a failed check.

    The checks are judged again so the record shows every other failure too.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise RecognitionError("reason_required", "say why it is denied")
    if len(reason) > REASON_MAX:
        raise RecognitionError("reason_too_long", f"keep it under {REASON_MAX}")
    with write_transaction():
        recognition = _open_recognition(recognition_id)
        _require_status(recognition, "proposed")
        version = active_version()
        live = current_decision(
            recognition, version, ledger.year_to_date(recognition.member_id)
        )
        review = Check("staff_review", False, reason)
        decision = Decision(
            checks=(review, *live.checks), approvals_required=live.approvals_required
        )
        recognition.checks = decision.as_list()
        recognition.policy_version = version
        _deny(recognition, decision, f"staff:{staff.id}")
    return recognition


def fulfil(recognition_id, staff):
    """Mark an approved recognition as given to the member."""
    with write_transaction():
        recognition = _open_recognition(recognition_id)
        _require_status(recognition, "approved")
        recognition.status = "fulfilled"
        recognition.fulfilled_at = utcnow()
        recognition.fulfilled_by = staff
        recognition.save()
        audit.record(
            f"staff:{staff.id}",
            "recognition.fulfilled",
            f"recognition:{recognition.id}",
            {"member": f"member:{recognition.member_id}"},
        )
    return recognition


def _require_status(recognition, status):
    if recognition.status != status:
        raise RecognitionError(
            "wrong_status", f"this recognition is {recognition.status}, not {status}"
        )
