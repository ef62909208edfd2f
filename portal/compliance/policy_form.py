"""The policy form: rules shown as fields, and posted fields read back as rules."""

import copy

from flask_babel import gettext as _

from portal.models.recognition import ITEM_KINDS, TRIGGERS
from portal.recognition.catalog import dollars, parse_money
from portal.recognition.policy import (
    FEDERAL_RULES,
    NEVER_ALLOWED,
    SIGNOFF_KINDS,
)
from portal.recognition.rules import STATE_CODE, validate_rules

LOCKED_KINDS = NEVER_ALLOWED + SIGNOFF_KINDS
OPTIONAL_KINDS = tuple(k for k in ITEM_KINDS if k not in LOCKED_KINDS)
MONEY_FIELDS = {
    "per_item_cap": "per_item_cap_cents",
    "annual_cap": "annual_cap_cents",
    "dual_approval_above": "dual_approval_above_cents",
}
BLANK_ROWS = 2


def values_from(rules):
    """Return the form's field values for a rules dict."""
    federal = rules["federal_payers"]
    states = [
        {
            "code": code,
            "restrictive": entry.get("restrictive", False),
            "law": entry.get("law", ""),
        }
        for code, entry in sorted(rules["states"].items())
    ]
    signoffs = [
        {"state": code, "kind": kind, **signoff}
        for code, entry in sorted(rules["states"].items())
        for kind, signoff in sorted((entry.get("counsel_allowed") or {}).items())
    ]
    blank_state = {"code": "", "restrictive": False, "law": ""}
    blank_signoff = {"state": "", "kind": "", "signed_by": "", "signed_on": ""}
    return {
        **{field: dollars(rules[key]) for field, key in MONEY_FIELDS.items()},
        "home_state": rules.get("home_state", ""),
        "forbidden": set(rules["forbidden_kinds"]),
        "federal_rule": federal["rule"],
        "federal_per_item_cap": dollars(federal["per_item_cap_cents"]),
        "federal_annual_cap": dollars(federal["annual_cap_cents"]),
        "federal_payers": ", ".join(federal["payers"]),
        "triggers": copy.deepcopy(rules["triggers"]),
        "states": states + [dict(blank_state) for _ in range(BLANK_ROWS)],
        "signoffs": signoffs + [dict(blank_signoff) for _ in range(BLANK_ROWS)],
        "note": "",
    }


def values_from_form(form):
    """Return the field values as posted, so a form with errors keeps them."""
    values = {
        name: form.get(name, "")
        for name in (
            *MONEY_FIELDS,
            "home_state",
            "federal_rule",
            "federal_per_item_cap",
            "federal_annual_cap",
            "federal_payers",
            "note",
        )
    }
    values["forbidden"] = set(form.getlist("forbidden")) | set(LOCKED_KINDS)
    values["triggers"] = {
        trigger: {
            "enabled": bool(form.get(f"trigger-{trigger}-enabled")),
            "item_kind": form.get(f"trigger-{trigger}-item_kind", ""),
        }
        for trigger in TRIGGERS
    }
    values["states"] = [
        {
            "code": form.get(f"states-{i}-code", ""),
            "restrictive": bool(form.get(f"states-{i}-restrictive")),
            "law": form.get(f"states-{i}-law", ""),
        }
        for i in _rows(form, "states")
    ]
    values["signoffs"] = [
        {
            name: form.get(f"signoffs-{i}-{name}", "")
            for name in ("state", "kind", "signed_by", "signed_on")
        }
        for i in _rows(form, "signoffs")
    ]
    return values


def read(form, base):
    """Return (rules, errors) from a posted form; errors maps field to message."""
    errors = {}
    rules = copy.deepcopy(base)
    for field, key in MONEY_FIELDS.items():
        rules[key] = _money(form, field, errors)
    rules["home_state"] = (form.get("home_state") or "").strip().upper()
    if rules["home_state"] and not STATE_CODE.match(rules["home_state"]):
        errors["home_state"] = _("Use a two-letter state code.")
    rules["forbidden_kinds"] = sorted(
        set(LOCKED_KINDS)
        | {k for k in form.getlist("forbidden") if k in OPTIONAL_KINDS}
    )
    rules["federal_payers"] = _federal(form, errors)
    rules["triggers"] = _triggers(form, errors)
    rules["states"] = _states(form, errors)
    _signoffs(form, rules["states"], errors)
    if not (form.get("note") or "").strip():
        errors["note"] = _("Say what changed and why; counsel reads it.")
    if not errors:
        for field, message in validate_rules(rules):
            errors[field] = message
    return rules, errors


def _money(form, field, errors):
    try:
        return parse_money(form.get(field))
    except ValueError:
        errors[field] = _("Enter an amount in dollars, like 12.00.")
        return 0


def _federal(form, errors):
    rule = form.get("federal_rule", "")
    if rule not in FEDERAL_RULES:
        errors["federal_rule"] = _("Choose a rule.")
    payers = [p.strip().lower() for p in (form.get("federal_payers") or "").split(",")]
    return {
        "rule": rule,
        "payers": [p for p in payers if p],
        "per_item_cap_cents": _money(form, "federal_per_item_cap", errors),
        "annual_cap_cents": _money(form, "federal_annual_cap", errors),
    }


def _triggers(form, errors):
    triggers = {}
    for trigger in TRIGGERS:
        kind = form.get(f"trigger-{trigger}-item_kind", "")
        if kind not in ITEM_KINDS:
            errors[f"trigger-{trigger}-item_kind"] = _("Choose a kind.")
        triggers[trigger] = {
            "enabled": bool(form.get(f"trigger-{trigger}-enabled")),
            "item_kind": kind,
        }
    return triggers


def _rows(form, prefix):
    index = 0
    while f"{prefix}-{index}-present" in form:
        yield index
        index += 1


def _states(form, errors):
    states = {}
    for i in _rows(form, "states"):
        code = (form.get(f"states-{i}-code") or "").strip().upper()
        if not code:
            continue  # a blank code removes the row
        if not STATE_CODE.match(code):
            errors[f"states-{i}-code"] = _("Use a two-letter state code.")
            continue
        restrictive = bool(form.get(f"states-{i}-restrictive"))
        law = " ".join((form.get(f"states-{i}-law") or "").split())
        if restrictive and not law:
            errors[f"states-{i}-law"] = _(
                "Name the law that makes the state restrictive."
            )
        states[code] = {"restrictive": restrictive, "law": law, "counsel_allowed": {}}
    return states


def _signoffs(form, states, errors):
    for i in _rows(form, "signoffs"):
        code = (form.get(f"signoffs-{i}-state") or "").strip().upper()
        kind = form.get(f"signoffs-{i}-kind", "")
        signed_by = " ".join((form.get(f"signoffs-{i}-signed_by") or "").split())
        signed_on = (form.get(f"signoffs-{i}-signed_on") or "").strip()
        if not (code or kind or signed_by or signed_on):
            continue
        if kind not in SIGNOFF_KINDS:
            errors[f"signoffs-{i}-kind"] = _("Choose what counsel allowed.")
        if not signed_by:
            errors[f"signoffs-{i}-signed_by"] = _("Name the counsel who signed off.")
        if not signed_on:
            errors[f"signoffs-{i}-signed_on"] = _("Give the date of the sign-off.")
        entry = states.setdefault(
            code, {"restrictive": False, "law": "", "counsel_allowed": {}}
        )
        if not STATE_CODE.match(code):
            errors[f"signoffs-{i}-state"] = _("Use a two-letter state code.")
        entry["counsel_allowed"][kind] = {
            "signed_by": signed_by,
            "signed_on": signed_on,
        }
