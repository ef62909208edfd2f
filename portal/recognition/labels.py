"""Words people read for kinds, triggers, statuses and checks, in their language."""

from flask_babel import lazy_gettext as _l

from portal.recognition import member_views

KINDS = {
    "thank_you_note": _l("Thank-you note"),
    "public_recognition": _l("Public recognition"),
    "branded_item": _l("Branded item"),
    "charitable_donation": _l("Charitable donation in the member's name"),
    "service_credit": _l("Service credit"),
    "discount": _l("Discount"),
    "copay_waiver": _l("Copay waiver"),
    "gift_card": _l("Gift card"),
    "cash": _l("Cash"),
    "other": _l("Other"),
}
TRIGGERS = {
    "referred_signup": _l("A referred sign-up"),
    "first_visit": _l("The referred person's first completed visit"),
    "membership_retained": _l("A referred member stayed past the cancellation window"),
}
STATUSES = {
    "proposed": _l("Proposed"),
    "approved": _l("Approved"),
    "denied": _l("Denied"),
    "fulfilled": _l("Fulfilled"),
}
MEMBER_STATUSES = {
    "approved": _l("On its way"),
    "fulfilled": _l("Given"),
}
CHECKS = {
    "policy_signed": _l("Signed policy"),
    "trigger_enabled": _l("Trigger allowed"),
    "genuine_referral": _l("Genuine referral"),
    "member_eligible": _l("Member eligible"),
    "item_active": _l("Item on"),
    "not_cash": _l("Not cash or a cash equivalent"),
    "kind_allowed": _l("Kind allowed"),
    "state_rule": _l("State rule"),
    "payer_rule": _l("Medicare and Medicaid rule"),
    "per_item_cap": _l("Per-item cap"),
    "annual_cap": _l("Annual cap"),
    "authorization": _l("Written authorization"),
    "staff_review": _l("Staff review"),
}
FEDERAL_RULES = {
    "nominal_value": _l("Nominal-value caps apply"),
    "zero_value_only": _l("Zero-value thanks only"),
    "not_eligible": _l("Not eligible for recognition"),
}


def _label(table, key):
    return table.get(key, key)


def register(app):
    """Make the labels available to every template."""
    app.jinja_env.globals.update(
        item_kind_label=lambda key: _label(KINDS, key),
        recognition_trigger_label=lambda key: _label(TRIGGERS, key),
        recognition_status_label=lambda key: _label(STATUSES, key),
        thanks_status_label=lambda key: _label(MEMBER_STATUSES, key),
        policy_check_label=lambda key: _label(CHECKS, key),
        federal_rule_label=lambda key: _label(FEDERAL_RULES, key),
    )
    app.jinja_env.globals["recognition_card"] = member_views.card_context
