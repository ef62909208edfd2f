"""Judge one recognition against the policy rules: plain values in, a decision out.

Nothing here touches Flask or the database, so every rule can be tested alone.
The rules are a JSON-ready dict (stored as PolicyVersion.rules); the shape is
what ``default_rules`` returns and ``validate_rules`` accepts.
"""

from dataclasses import dataclass

from portal.models.recognition import ITEM_KINDS, TRIGGERS

SCHEMA = 1
# Cash and cash equivalents never qualify, whatever the policy says.
NEVER_ALLOWED = ("cash", "gift_card")
# Rebates in several states: allowed only per state with a counsel sign-off.
SIGNOFF_KINDS = ("service_credit", "discount", "copay_waiver")
FEDERAL_RULES = ("nominal_value", "zero_value_only", "not_eligible")
FEDERAL_PAYERS = ("medicare", "medicaid")
RESTRICTIVE_STATES = {
    "CA": "California Business and Professions Code 650",
    "FL": "Florida Statutes 817.505 (patient brokering)",
    "TX": "Texas Occupations Code 102.001",
    "WA": "Washington RCW 19.68 (rebating by health care providers)",
    "OR": "Oregon OAR 818-012-0030 (dental rebates)",
    "ID": "Idaho Code 54-1814 (fee splitting and referral gifts)",
    "MI": "Michigan Public Health Code, MCL 333.16221 (referral payments)",
}
DEFAULT_TRIGGER_ITEMS = {
    "referred_signup": "thank_you_note",
    "first_visit": "branded_item",
    "membership_retained": "charitable_donation",
}
CHECK_NAMES = (
    "policy_signed",
    "trigger_enabled",
    "genuine_referral",
    "member_eligible",
    "item_active",
    "not_cash",
    "kind_allowed",
    "state_rule",
    "payer_rule",
    "per_item_cap",
    "annual_cap",
    "authorization",
)


@dataclass(frozen=True)
class ItemFacts:
    kind: str
    value_cents: int
    cash_equivalent: bool = False
    needs_authorization: bool = False
    active: bool = True


@dataclass(frozen=True)
class MemberFacts:
    clinician_or_staff: bool = False
    payer: str = "unknown"
    state: str = ""
    authorized: bool = False
    erased: bool = False


@dataclass(frozen=True)
class SignupFacts:
    """What the policy may know of the referred sign-up: its flags, nothing else."""

    self_referral: bool = False
    existing_patient: bool = False


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    reason: str

    def as_dict(self):
        return {"name": self.name, "passed": self.passed, "reason": self.reason}


@dataclass(frozen=True)
class Decision:
    checks: tuple
    approvals_required: int

    @property
    def allowed(self):
        return all(check.passed for check in self.checks)

    @property
    def failed(self):
        return [check for check in self.checks if not check.passed]

    def denial_reason(self):
        """Name every failed check with its reason, for the record and the queue."""
        return "; ".join(f"{check.name}: {check.reason}" for check in self.failed)

    def as_list(self):
        return [check.as_dict() for check in self.checks]


def money(cents):
    return f"${cents / 100:,.2f}"


def default_rules(state=""):
    """Return the default rules for a practice in a two-letter state."""
    state = (state or "").strip().upper()
    states = {
        code: {"restrictive": True, "law": law, "counsel_allowed": {}}
        for code, law in RESTRICTIVE_STATES.items()
    }
    if state and state not in states:
        states[state] = {"restrictive": False, "law": "", "counsel_allowed": {}}
    # Where only zero-value thanks are allowed, propose nothing else by default.
    restrictive_home = state in RESTRICTIVE_STATES
    triggers = {
        trigger: {
            "enabled": True,
            "item_kind": "thank_you_note" if restrictive_home else kind,
        }
        for trigger, kind in DEFAULT_TRIGGER_ITEMS.items()
    }
    return {
        "schema": SCHEMA,
        "home_state": state,
        "per_item_cap_cents": 1500,
        "annual_cap_cents": 7500,
        "forbidden_kinds": sorted(NEVER_ALLOWED + SIGNOFF_KINDS),
        "states": states,
        "federal_payers": {
            "payers": list(FEDERAL_PAYERS),
            "rule": "nominal_value",
            "per_item_cap_cents": 1500,
            "annual_cap_cents": 7500,
        },
        "triggers": triggers,
        "dual_approval_above_cents": 1200,
        "independent_of_referred_business": True,
    }


def evaluate(rules, item, member, ytd_cents, trigger, signup=None, signed=True):
    """Run every check for one recognition and return the decision."""
    per_item, annual = effective_caps(rules, member)
    checks = (
        _policy_signed(signed),
        _trigger_enabled(rules, trigger),
        _genuine_referral(signup),
        _member_eligible(member),
        _item_active(item),
        _not_cash(item),
        _kind_allowed(rules, item, member),
        _state_rule(rules, item, member),
        _payer_rule(rules, item, member),
        _per_item_cap(item, per_item),
        _annual_cap(item, ytd_cents, annual),
        _authorization(item, member),
    )
    threshold = rules.get("dual_approval_above_cents", 0)
    required = 2 if item.value_cents > threshold else 1
    return Decision(checks=checks, approvals_required=required)


def member_state(rules, member):
    return (member.state or rules.get("home_state") or "").upper()


def state_entry(rules, state):
    return rules.get("states", {}).get(state) or {}


def is_federal(rules, member):
    return member.payer in rules.get("federal_payers", {}).get("payers", [])


def effective_caps(rules, member):
    """Return (per-item cap, annual cap) in cents that apply to this member."""
    per_item = rules["per_item_cap_cents"]
    annual = rules["annual_cap_cents"]
    federal = rules.get("federal_payers", {})
    if is_federal(rules, member) and federal.get("rule") == "nominal_value":
        per_item = min(per_item, federal["per_item_cap_cents"])
        annual = min(annual, federal["annual_cap_cents"])
    return per_item, annual


def _policy_signed(signed):
    if signed:
        return Check("policy_signed", True, "judged under a signed policy version")
    return Check("policy_signed", False, "no policy version has been signed")


def _trigger_enabled(rules, trigger):
    setting = rules.get("triggers", {}).get(trigger)
    if trigger not in TRIGGERS or setting is None:
        return Check("trigger_enabled", False, f"{trigger} is not a known trigger")
    if not setting.get("enabled"):
        return Check("trigger_enabled", False, f"the policy turns {trigger} off")
    return Check("trigger_enabled", True, f"{trigger} may propose a recognition")


def _genuine_referral(signup):
    if signup is None:
        return Check("genuine_referral", True, "no referred sign-up to check")
    if signup.self_referral:
        return Check("genuine_referral", False, "the sign-up is a self-referral")
    if signup.existing_patient:
        return Check("genuine_referral", False, "the person was already a patient")
    return Check("genuine_referral", True, "a new person was referred")


def _member_eligible(member):
    if member.erased:
        return Check("member_eligible", False, "the member's record was erased")
    if member.clinician_or_staff:
        return Check(
            "member_eligible", False, "clinicians and staff are never eligible"
        )
    return Check("member_eligible", True, "the member is a patient, not staff")


def _item_active(item):
    if item.active:
        return Check("item_active", True, "the catalog item is on")
    return Check("item_active", False, "the catalog item is turned off")


def _not_cash(item):
    if item.kind == "cash":
        return Check("not_cash", False, "cash never qualifies")
    if item.kind == "gift_card" or item.cash_equivalent:
        return Check("not_cash", False, "cash equivalents never qualify")
    return Check("not_cash", True, "neither cash nor a cash equivalent")


def _kind_allowed(rules, item, member):
    kind = item.kind
    if kind not in ITEM_KINDS:
        return Check("kind_allowed", False, f"{kind} is not a known kind")
    if kind not in rules.get("forbidden_kinds", []):
        return Check("kind_allowed", True, f"{kind} is an allowed kind")
    state = member_state(rules, member)
    signoff = state_entry(rules, state).get("counsel_allowed", {}).get(kind)
    if kind in SIGNOFF_KINDS and _signed_off(signoff):
        return Check(
            "kind_allowed",
            True,
            f"{kind} allowed in {state} by counsel sign-off of {signoff['signed_on']}",
        )
    return Check("kind_allowed", False, f"{kind} is a forbidden kind")


def _signed_off(signoff):
    return bool(
        signoff and signoff.get("signed_by", "").strip() and signoff.get("signed_on")
    )


def _state_rule(rules, item, member):
    state = member_state(rules, member)
    entry = state_entry(rules, state)
    if not entry.get("restrictive"):
        return Check("state_rule", True, f"{state or 'no state'} is not restrictive")
    if item.value_cents == 0:
        return Check("state_rule", True, f"zero-value thanks allowed in {state}")
    law = entry.get("law") or "state law"
    return Check("state_rule", False, f"{state} allows only zero-value thanks ({law})")


def _payer_rule(rules, item, member):
    if not is_federal(rules, member):
        return Check("payer_rule", True, "no federal-payer rule applies")
    rule = rules["federal_payers"]["rule"]
    payer = member.payer.capitalize()
    if rule == "not_eligible":
        return Check("payer_rule", False, f"{payer} members are not eligible")
    if rule == "zero_value_only" and item.value_cents > 0:
        return Check(
            "payer_rule", False, f"{payer} members may receive only zero-value thanks"
        )
    if rule == "zero_value_only":
        return Check("payer_rule", True, f"zero-value thanks for a {payer} member")
    return Check("payer_rule", True, f"nominal-value caps apply to {payer} members")


def _per_item_cap(item, cap):
    if item.value_cents <= cap:
        return Check(
            "per_item_cap",
            True,
            f"{money(item.value_cents)} is within the {money(cap)} per-item cap",
        )
    return Check(
        "per_item_cap",
        False,
        f"{money(item.value_cents)} is above the {money(cap)} per-item cap",
    )


def _annual_cap(item, ytd_cents, cap):
    total = ytd_cents + item.value_cents
    if total <= cap:
        return Check(
            "annual_cap",
            True,
            f"{money(total)} this year, within the {money(cap)} annual cap",
        )
    return Check(
        "annual_cap",
        False,
        f"{money(ytd_cents)} already approved this year; adding "
        f"{money(item.value_cents)} would pass the {money(cap)} annual cap",
    )


def _authorization(item, member):
    needed = item.needs_authorization or item.kind == "public_recognition"
    if not needed:
        return Check("authorization", True, "no written authorization needed")
    if member.authorized:
        return Check("authorization", True, "written authorization is on file")
    return Check(
        "authorization", False, "public recognition needs written authorization"
    )
