"""The program's starting point: the state's policy defaults, a catalog, prompts.

Nothing here puts anything of value into effect: the policy is stored as a
version awaiting the compliance officer's signature, and no recognition is
proposed before a version is signed.
"""

from dataclasses import dataclass

from portal.i18n_marks import N_
from portal.models import CatalogItem, PolicyVersion, ServiceLine
from portal.prompts import ruleform
from portal.recognition import catalog, versions
from portal.recognition.policy import RESTRICTIVE_STATES, default_rules, money
from portal.setup.facts import US_STATES

# (name, kind, retail value in cents, needs written authorization)
ZERO_VALUE_ITEMS = (
    (N_("Handwritten thank-you note"), "thank_you_note", 0, False),
    (N_("Thank-you wall in the waiting room"), "public_recognition", 0, True),
)
NOMINAL_ITEMS = (
    (N_("Branded water bottle"), "branded_item", 1200, False),
    (
        N_("Charitable donation in the ambassador's name"),
        "charitable_donation",
        1500,
        False,
    ),
)
CATALOG_CHOICES = ("starter", "empty")


@dataclass(frozen=True)
class StateSummary:
    """What the defaults allow in the practice's state, and the law behind it."""

    code: str
    name: str
    restrictive: bool
    law: str
    per_item_cap: str
    annual_cap: str


def state_summary(state):
    rules = default_rules(state)
    return StateSummary(
        code=state,
        name=US_STATES.get(state, state or "no state chosen"),
        restrictive=state in RESTRICTIVE_STATES,
        law=RESTRICTIVE_STATES.get(state, ""),
        per_item_cap=money(rules["per_item_cap_cents"]),
        annual_cap=money(rules["annual_cap_cents"]),
    )


def starter_items(state):
    """The catalog to start from: zero-value thanks only in restrictive states."""
    if state in RESTRICTIVE_STATES:
        return ZERO_VALUE_ITEMS
    return ZERO_VALUE_ITEMS + NOMINAL_ITEMS


def has_policy():
    return PolicyVersion.select().exists()


def start_policy(state, actor, staff=None):
    """Store the state's default rules as version 1, awaiting sign-off.

    Returns None when a policy already exists: from then on it changes only
    on the compliance pages, where every change is a new signed version.
    """
    if has_policy():
        return None
    name = US_STATES.get(state, "no state")
    return versions.create_version(
        default_rules(state),
        actor,
        staff,
        note=f"First policy from setup: the defaults for {name}.",
    )


def add_starter_catalog(state, actor):
    """Add the starter items to an empty catalog; return how many were added."""
    if CatalogItem.select().exists():
        return 0
    for name, kind, value, authorization in starter_items(state):
        catalog.save_item(
            {
                "name": name,
                "kind": kind,
                "description": "",
                "retail_value_cents": value,
                "cash_equivalent": False,
                "needs_authorization": authorization,
                "active": True,
            },
            actor,
        )
    return len(starter_items(state))


def prompt_scopes():
    """The practice default and every active service line's prompt rule."""
    active = {
        line.id
        for line in ServiceLine.select(ServiceLine.id).where(ServiceLine.active == True)  # noqa: E712
    }
    return [
        scope
        for scope in ruleform.scopes()
        if scope.line is None or scope.line.id in active
    ]


def save_prompt_choices(enabled, actor):
    """Turn prompts on or off per scope key; sensitive lines are never prompted.

    A service line that keeps the practice default gets no row of its own, so
    a later change to the default still reaches it.
    """
    saved = []
    for scope in prompt_scopes():
        wanted = scope.key in enabled and not scope.sensitive
        if scope.line is not None and scope.row is None and not scope.sensitive:
            default_on = ruleform.DEFAULT_SCOPE in enabled
            if wanted == default_on:
                continue
        if scope.line is not None and scope.sensitive and scope.row is None:
            continue
        if scope.row is not None and scope.values["enabled"] == wanted:
            continue
        ruleform.save(scope, {**scope.values, "enabled": wanted}, actor)
        saved.append(scope.key)
    return saved
