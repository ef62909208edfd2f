"""Check a rules dict before it becomes a policy version, and compare two of them."""

import datetime
import re

from portal.models.recognition import ITEM_KINDS, TRIGGERS
from portal.recognition.policy import (
    FEDERAL_RULES,
    NEVER_ALLOWED,
    SCHEMA,
    SIGNOFF_KINDS,
)

STATE_CODE = re.compile(r"^[A-Z]{2}$")
CENT_FIELDS = ("per_item_cap_cents", "annual_cap_cents", "dual_approval_above_cents")


def validate_rules(rules):
    """Return a list of (field, message) problems; an empty list means valid."""
    errors = []
    if rules.get("schema") != SCHEMA:
        errors.append(("schema", f"must be {SCHEMA}"))
    for name in CENT_FIELDS:
        _check_cents(errors, name, rules.get(name))
    if not errors and rules["annual_cap_cents"] < rules["per_item_cap_cents"]:
        errors.append(("annual_cap_cents", "must not be below the per-item cap"))
    _check_forbidden(errors, rules.get("forbidden_kinds"))
    _check_states(errors, rules.get("states"), rules.get("home_state", ""))
    _check_federal(errors, rules.get("federal_payers"))
    _check_triggers(errors, rules.get("triggers"))
    if rules.get("independent_of_referred_business") is not True:
        errors.append(
            (
                "independent_of_referred_business",
                "recognition may never depend on the referred person's payer "
                "or the value of their care",
            )
        )
    return errors


def _check_cents(errors, name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors.append((name, "must be a whole number of cents, zero or more"))


def _check_forbidden(errors, kinds):
    if not isinstance(kinds, list) or any(k not in ITEM_KINDS for k in kinds):
        errors.append(("forbidden_kinds", "must list known kinds"))
        return
    for kind in NEVER_ALLOWED:
        if kind not in kinds:
            errors.append(("forbidden_kinds", f"{kind} is always forbidden"))
    for kind in SIGNOFF_KINDS:
        if kind not in kinds:
            errors.append(
                (
                    "forbidden_kinds",
                    f"{kind} can be allowed only per state with a counsel sign-off",
                )
            )


def _check_states(errors, states, home_state):
    if home_state and not STATE_CODE.match(home_state):
        errors.append(("home_state", "must be a two-letter state code"))
    if not isinstance(states, dict):
        errors.append(("states", "must be a table of states"))
        return
    for code, entry in states.items():
        field = f"states.{code}"
        if not STATE_CODE.match(code):
            errors.append((field, "must be a two-letter state code"))
        if entry.get("restrictive") and not (entry.get("law") or "").strip():
            errors.append((f"{field}.law", "a restrictive state names its law"))
        for kind, signoff in (entry.get("counsel_allowed") or {}).items():
            _check_signoff(errors, f"{field}.counsel_allowed.{kind}", kind, signoff)


def _check_signoff(errors, field, kind, signoff):
    if kind not in SIGNOFF_KINDS:
        errors.append((field, "only service credit, discounts and copay waivers"))
        return
    if not (signoff.get("signed_by") or "").strip():
        errors.append((f"{field}.signed_by", "name the counsel who signed off"))
    try:
        datetime.date.fromisoformat(signoff.get("signed_on") or "")
    except ValueError:
        errors.append((f"{field}.signed_on", "must be a date as YYYY-MM-DD"))


def _check_federal(errors, federal):
    if not isinstance(federal, dict):
        errors.append(("federal_payers", "must describe the federal-payer rule"))
        return
    if federal.get("rule") not in FEDERAL_RULES:
        errors.append(("federal_payers.rule", f"must be one of {FEDERAL_RULES}"))
    for name in ("per_item_cap_cents", "annual_cap_cents"):
        _check_cents(errors, f"federal_payers.{name}", federal.get(name))
    if not isinstance(federal.get("payers"), list):
        errors.append(("federal_payers.payers", "must list payer categories"))


def _check_triggers(errors, triggers):
    if not isinstance(triggers, dict) or set(triggers) != set(TRIGGERS):
        errors.append(("triggers", f"must set each of {', '.join(TRIGGERS)}"))
        return
    for trigger, setting in triggers.items():
        if setting.get("item_kind") not in ITEM_KINDS:
            errors.append((f"triggers.{trigger}.item_kind", "must be a known kind"))


def flatten(rules, prefix=""):
    """Map every leaf of a rules dict to its dotted path."""
    leaves = {}
    for key, value in rules.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            leaves.update(flatten(value, path + "."))
        else:
            leaves[path] = value
    return leaves


def diff_rules(old, new):
    """Return [(path, old value, new value)] for every leaf that differs."""
    before, after = flatten(old or {}), flatten(new or {})
    return [
        (path, before.get(path), after.get(path))
        for path in sorted(set(before) | set(after))
        if before.get(path) != after.get(path)
    ]
