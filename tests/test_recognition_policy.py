"""The policy rules alone: plain values in, decisions with named checks out."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.models.recognition import ITEM_KINDS, TRIGGERS
from portal.recognition.policy import (
    CHECK_NAMES,
    RESTRICTIVE_STATES,
    ItemFacts,
    MemberFacts,
    SignupFacts,
    default_rules,
    effective_caps,
    evaluate,
)
from portal.recognition.rules import diff_rules, validate_rules

RULES = default_rules("NC")
NOTE = ItemFacts("thank_you_note", 0)
BOTTLE = ItemFacts("branded_item", 1200)
PATIENT = MemberFacts(payer="commercial", state="NC")


def failed(decision):
    return [check.name for check in decision.failed]


def test_defaults_follow_the_domain_figures():
    assert RULES["per_item_cap_cents"] == 1500
    assert RULES["annual_cap_cents"] == 7500
    assert set(RULES["forbidden_kinds"]) == {
        "cash",
        "gift_card",
        "service_credit",
        "discount",
        "copay_waiver",
    }
    for code in ("CA", "FL", "TX", "WA", "OR", "ID", "MI"):
        assert RULES["states"][code]["restrictive"] is True
        assert RULES["states"][code]["law"] == RESTRICTIVE_STATES[code]
    assert RULES["states"]["NC"]["restrictive"] is False
    assert set(RULES["triggers"]) == set(TRIGGERS)
    assert validate_rules(RULES) == []


def test_a_restrictive_home_state_proposes_only_thank_you_notes():
    rules = default_rules("ca")
    assert rules["home_state"] == "CA"
    kinds = {setting["item_kind"] for setting in rules["triggers"].values()}
    assert kinds == {"thank_you_note"}


def test_every_check_runs_and_a_modest_item_passes():
    decision = evaluate(RULES, BOTTLE, PATIENT, 0, "first_visit", SignupFacts())
    assert [check.name for check in decision.checks] == list(CHECK_NAMES)
    assert decision.allowed and decision.denial_reason() == ""
    assert decision.approvals_required == 1


def test_above_the_threshold_two_approvals_are_needed():
    donation = ItemFacts("charitable_donation", 1500)
    decision = evaluate(RULES, donation, PATIENT, 0, "membership_retained")
    assert decision.allowed and decision.approvals_required == 2


def test_cash_and_cash_equivalents_never_pass_even_if_unforbidden():
    rules = copy.deepcopy(RULES)
    rules["forbidden_kinds"] = []
    for item in (
        ItemFacts("cash", 500),
        ItemFacts("gift_card", 500),
        ItemFacts("other", 500, cash_equivalent=True),
    ):
        decision = evaluate(rules, item, PATIENT, 0, "first_visit")
        assert "not_cash" in failed(decision)
    assert "forbidden_kinds" in dict(validate_rules(rules))


def test_service_credit_is_refused_unless_counsel_signed_off_for_the_state():
    credit = ItemFacts("service_credit", 1000)
    assert "kind_allowed" in failed(evaluate(RULES, credit, PATIENT, 0, "first_visit"))

    rules = copy.deepcopy(RULES)
    rules["states"]["NC"]["counsel_allowed"] = {
        "service_credit": {"signed_by": "A. Counsel", "signed_on": "2026-02-01"}
    }
    assert validate_rules(rules) == []
    decision = evaluate(rules, credit, PATIENT, 0, "first_visit")
    assert decision.allowed
    kind_check = next(c for c in decision.checks if c.name == "kind_allowed")
    assert "counsel sign-off of 2026-02-01" in kind_check.reason
    # The sign-off is per state: a member in another state is still refused.
    elsewhere = MemberFacts(state="GA")
    assert "kind_allowed" in failed(
        evaluate(rules, credit, elsewhere, 0, "first_visit")
    )


def test_a_sign_off_without_a_name_is_invalid_and_does_not_count():
    rules = copy.deepcopy(RULES)
    rules["states"]["NC"]["counsel_allowed"] = {
        "service_credit": {"signed_by": " ", "signed_on": "2026-02-01"}
    }
    assert "states.NC.counsel_allowed.service_credit.signed_by" in dict(
        validate_rules(rules)
    )
    credit = ItemFacts("service_credit", 1000)
    assert "kind_allowed" in failed(evaluate(rules, credit, PATIENT, 0, "first_visit"))


def test_restrictive_states_allow_only_zero_value_thanks():
    texan = MemberFacts(state="TX")
    decision = evaluate(RULES, BOTTLE, texan, 0, "first_visit")
    assert failed(decision) == ["state_rule"]
    assert "Texas Occupations Code 102.001" in decision.denial_reason()
    assert evaluate(RULES, NOTE, texan, 0, "first_visit").allowed


def test_members_without_a_state_use_the_home_state():
    rules = default_rules("FL")
    decision = evaluate(rules, BOTTLE, MemberFacts(state=""), 0, "referred_signup")
    assert "state_rule" in failed(decision)


def test_caps_per_item_and_per_year():
    big = ItemFacts("branded_item", 1600)
    assert failed(evaluate(RULES, big, PATIENT, 0, "first_visit")) == ["per_item_cap"]
    decision = evaluate(RULES, BOTTLE, PATIENT, 6400, "first_visit")
    assert failed(decision) == ["annual_cap"]
    assert "$64.00 already approved" in decision.denial_reason()
    assert evaluate(RULES, BOTTLE, PATIENT, 6300, "first_visit").allowed


def test_medicare_members_get_the_lower_of_the_caps_or_the_chosen_rule():
    rules = copy.deepcopy(RULES)
    rules["per_item_cap_cents"] = 2500
    rules["annual_cap_cents"] = 10000
    medicare = MemberFacts(payer="medicare")
    assert effective_caps(rules, medicare) == (1500, 7500)
    assert effective_caps(rules, PATIENT) == (2500, 10000)

    rules["federal_payers"]["rule"] = "zero_value_only"
    assert failed(evaluate(rules, BOTTLE, medicare, 0, "first_visit")) == ["payer_rule"]
    assert evaluate(rules, NOTE, medicare, 0, "first_visit").allowed
    rules["federal_payers"]["rule"] = "not_eligible"
    assert "payer_rule" in failed(evaluate(rules, NOTE, medicare, 0, "first_visit"))


def test_staff_self_referrals_and_existing_patients_fail():
    staff = MemberFacts(clinician_or_staff=True)
    assert failed(evaluate(RULES, NOTE, staff, 0, "first_visit")) == ["member_eligible"]
    for flags in (SignupFacts(self_referral=True), SignupFacts(existing_patient=True)):
        assert failed(evaluate(RULES, NOTE, PATIENT, 0, "first_visit", flags)) == [
            "genuine_referral"
        ]


def test_public_recognition_needs_written_authorization():
    wall = ItemFacts("public_recognition", 0)
    assert failed(evaluate(RULES, wall, PATIENT, 0, "first_visit")) == ["authorization"]
    authorized = MemberFacts(authorized=True)
    assert evaluate(RULES, wall, authorized, 0, "first_visit").allowed


def test_a_trigger_turned_off_and_an_unsigned_policy_fail():
    rules = copy.deepcopy(RULES)
    rules["triggers"]["referred_signup"]["enabled"] = False
    decision = evaluate(rules, NOTE, PATIENT, 0, "referred_signup")
    assert failed(decision) == ["trigger_enabled"]
    unsigned = evaluate(RULES, NOTE, PATIENT, 0, "first_visit", signed=False)
    assert failed(unsigned) == ["policy_signed"]


def test_validation_names_each_problem():
    rules = copy.deepcopy(RULES)
    rules["annual_cap_cents"] = 1000
    rules["states"]["ZZZ"] = {"restrictive": True, "law": ""}
    rules["triggers"]["first_visit"]["item_kind"] = "yacht"
    rules["independent_of_referred_business"] = False
    fields = dict(validate_rules(rules))
    assert set(fields) >= {
        "annual_cap_cents",
        "states.ZZZ",
        "states.ZZZ.law",
        "triggers.first_visit.item_kind",
        "independent_of_referred_business",
    }


def test_diff_names_the_changed_leaves():
    rules = copy.deepcopy(RULES)
    rules["annual_cap_cents"] = 5000
    rules["states"]["GA"] = {"restrictive": False, "law": "", "counsel_allowed": {}}
    changes = diff_rules(RULES, rules)
    assert ("annual_cap_cents", 7500, 5000) in changes
    assert ("states.GA.restrictive", None, False) in changes


items = st.builds(
    ItemFacts,
    kind=st.sampled_from(ITEM_KINDS),
    value_cents=st.integers(0, 3000),
    cash_equivalent=st.booleans(),
    needs_authorization=st.booleans(),
    active=st.booleans(),
)
members = st.builds(
    MemberFacts,
    clinician_or_staff=st.booleans(),
    payer=st.sampled_from(["commercial", "medicare", "medicaid", "unknown"]),
    state=st.sampled_from(["", "NC", "CA", "TX", "GA", "MI"]),
    authorized=st.booleans(),
    erased=st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(
    item=items,
    member=members,
    ytd=st.integers(0, 9000),
    trigger=st.sampled_from(TRIGGERS),
    flags=st.none() | st.builds(SignupFacts, st.booleans(), st.booleans()),
)
def test_any_allowed_decision_respects_every_rule(item, member, ytd, trigger, flags):
    decision = evaluate(RULES, item, member, ytd, trigger, flags)
    per_item, annual = effective_caps(RULES, member)
    if decision.allowed:
        assert item.value_cents <= per_item and ytd + item.value_cents <= annual
        assert item.kind not in RULES["forbidden_kinds"] and not item.cash_equivalent
        assert not member.clinician_or_staff
    else:
        reason = decision.denial_reason()
        assert decision.failed
        assert all(check.name in reason for check in decision.failed)
