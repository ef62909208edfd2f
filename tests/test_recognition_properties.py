"""Random sequences of proposals and decisions, run through the real workflow.

Whatever the order, no member's approved value passes the caps, no forbidden
kind or cash equivalent is approved, and every denial names its failed checks.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.models import (
    Approval,
    AuditEvent,
    CatalogItem,
    Consent,
    Member,
    OutboxMessage,
    PolicyVersion,
    Recognition,
    SignUp,
    StaffUser,
)
from portal.models.recognition import ITEM_KINDS, TRIGGERS
from portal.recognition import ledger, workflow
from portal.recognition.policy import default_rules, effective_caps
from tests import recognition_support as support

TABLES = (
    Approval,
    Recognition,
    Consent,
    SignUp,
    Member,
    CatalogItem,
    PolicyVersion,
    StaffUser,
    OutboxMessage,
    AuditEvent,
)
MEMBERS = [
    {"payer_category": "commercial", "us_state": "NC"},
    {"payer_category": "medicare", "us_state": ""},
    {"payer_category": "commercial", "us_state": "CA"},
    {"payer_category": "self_pay", "us_state": "GA", "is_clinician_or_staff": True},
]
# Mostly kinds that can pass, so that caps are reached, and some that never can.
KINDS = [
    "thank_you_note",
    "branded_item",
    "branded_item",
    "charitable_donation",
    "public_recognition",
    "other",
    "gift_card",
    "service_credit",
]

policies = st.fixed_dictionaries(
    {
        "per_item": st.sampled_from([1500, 1500, 2500, 1000, 0]),
        "annual_extra": st.sampled_from([0, 1000, 2500]),
        "federal": st.sampled_from(["nominal_value", "zero_value_only"]),
        "threshold": st.sampled_from([0, 1000, 5000]),
        "kinds": st.fixed_dictionaries({t: st.sampled_from(KINDS) for t in TRIGGERS}),
    }
)
propose = st.tuples(
    st.just("propose"), st.integers(0, len(MEMBERS) - 1), st.sampled_from(TRIGGERS)
)
decide = st.tuples(
    st.sampled_from(["approve"] * 6 + ["deny", "fulfil"]),
    st.integers(0, 30),
    st.integers(0, 2),
)
steps = st.lists(st.one_of(propose, decide), min_size=10, max_size=40)
values = st.lists(st.sampled_from([0, 500, 1200, 1500, 2500]), min_size=10, max_size=10)


def _reset():
    for model in TABLES:
        model.delete().execute()


def _rules(policy):
    rules = default_rules("NC")
    rules["per_item_cap_cents"] = policy["per_item"]
    rules["annual_cap_cents"] = policy["per_item"] + policy["annual_extra"]
    rules["federal_payers"]["rule"] = policy["federal"]
    rules["dual_approval_above_cents"] = policy["threshold"]
    for trigger, kind in policy["kinds"].items():
        rules["triggers"][trigger]["item_kind"] = kind
    return rules


def _world(policy, prices):
    version = support.signed_policy(_rules(policy))
    for kind, cents in zip(ITEM_KINDS, prices, strict=True):
        support.item(kind, cents, cash_equivalent=kind == "other" and cents > 0)
    members = [support.member(**fields) for fields in MEMBERS]
    staff = [support.staff() for _ in range(3)]
    return version, members, staff


def _act(step, members, staff):
    action, index, who = step
    if action == "propose":
        member = members[index]
        return workflow.propose(member, who, support.signup(member))
    wanted = "approved" if action == "fulfil" else "proposed"
    candidates = list(
        Recognition.select()
        .where(Recognition.status == wanted)
        .order_by(Recognition.id)
    )
    if not candidates:
        return None
    target = candidates[index % len(candidates)]
    try:
        if action == "approve":
            return workflow.approve(target.id, staff[who])
        if action == "deny":
            return workflow.deny(target.id, staff[who], f"reason {index}")
        return workflow.fulfil(target.id, staff[who])
    except workflow.RecognitionError as exc:
        # Only a second approval by the same person is refused here.
        assert exc.code == "same_approver"
        return None


def _check_invariants(rules, members):
    for member in members:
        given_to = Recognition.select().where(
            Recognition.member == member.id,
            Recognition.status.in_(ledger.COUNTED),
        )
        per_item, annual = effective_caps(rules, ledger.member_facts(member))
        assert ledger.year_to_date(member.id) <= annual
        for recognition in given_to:
            item = recognition.item
            assert recognition.value_cents <= per_item
            assert item.kind not in rules["forbidden_kinds"]
            assert not item.cash_equivalent
            assert not member.is_clinician_or_staff
            approvers = {a.staff_id for a in recognition.approvals}
            needed = (
                2 if recognition.value_cents > rules["dual_approval_above_cents"] else 1
            )
            assert len(approvers) >= needed
    for denied in Recognition.select().where(Recognition.status == "denied"):
        failed = [c["name"] for c in denied.checks if not c["passed"]]
        assert failed
        assert all(f"{name}:" in denied.denial_reason for name in failed)


@pytest.mark.parametrize("examples", [40])
def test_random_sequences_never_break_the_policy(app, examples):
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(policy=policies, prices=values, sequence=steps)
    def run(policy, prices, sequence):
        _reset()
        version, members, staff = _world(policy, prices)
        for step in sequence:
            _act(step, members, staff)
            _check_invariants(version.rules, members)

    run()
