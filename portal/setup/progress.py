"""Where setup stands: the steps, which are done or skipped, and what is left.

``PracticeSettings.setup_progress`` keeps ``{"steps": {step: {"state": "done"
| "skipped", "at": iso time}}, "done": {thing: iso time}}`` so a person can
leave the flow and come back to the step they had reached.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal import audit
from portal.db import utcnow, write_transaction
from portal.models import (
    CatalogItem,
    Location,
    Member,
    MembershipPlan,
    PracticeSettings,
    PromptRule,
    ServiceLine,
    StaffUser,
)
from portal.practice import get_settings
from portal.recognition.versions import active_version, pending_version

# (step, title); the order is the order of the flow.
STEPS = (
    ("practice", _l("The practice")),
    ("services", _l("Service lines and locations")),
    ("branding", _l("Branding")),
    ("program", _l("The program")),
    ("members", _l("Members")),
    ("golive", _l("Go live")),
)
STEP_NAMES = tuple(name for name, _ in STEPS)
# The practice's name and postal address go in every email: never skipped.
REQUIRED_STEPS = ("practice",)
# Things done on the go-live page, recorded when they happen.
GO_LIVE_THINGS = ("document", "landing", "cards")


def needs_setup(settings=None):
    """True on an install that has neither a practice name nor a finished setup."""
    settings = settings or get_settings()
    return not settings.name and settings.setup_completed_at is None


def _progress(settings):
    progress = dict(settings.setup_progress or {})
    progress.setdefault("steps", {})
    progress.setdefault("done", {})
    return progress


def step_state(step, settings=None):
    """Return "done", "skipped" or "" for a step."""
    entry = _progress(settings or get_settings())["steps"].get(step) or {}
    return entry.get("state", "")


def next_step(settings=None):
    """Return the first step neither done nor skipped (go live when all are)."""
    settings = settings or get_settings()
    for step in STEP_NAMES:
        if not step_state(step, settings):
            return step
    return "golive"


def step_after(step):
    index = STEP_NAMES.index(step)
    return STEP_NAMES[min(index + 1, len(STEP_NAMES) - 1)]


def _update(change):
    # Read the row inside the write lock: an import thread may write it too.
    with write_transaction():
        settings = PracticeSettings.get_by_id(1)
        progress = _progress(settings)
        change(progress)
        PracticeSettings.update(setup_progress=progress).where(
            PracticeSettings.id == 1
        ).execute()
    return progress


def mark_step(step, state, actor):
    """Record a step as done or skipped, with an audit event."""
    if step not in STEP_NAMES or state not in ("done", "skipped"):
        raise ValueError(f"unknown step {step!r} or state {state!r}")
    if state == "skipped" and step in REQUIRED_STEPS:
        raise ValueError(f"the {step} step cannot be skipped")
    get_settings()  # make sure the row exists

    def change(progress):
        progress["steps"][step] = {"state": state, "at": utcnow().isoformat()}

    _update(change)
    audit.record(actor, f"setup.step_{state}", "practice:1", {"step": step})


def mark_done(thing):
    """Record that a go-live thing (document, landing, cards) was produced."""
    get_settings()

    def change(progress):
        progress["done"][thing] = utcnow().isoformat()

    _update(change)


def done_things(settings=None):
    return _progress(settings or get_settings())["done"]


def complete(actor):
    """Mark setup finished; refuse while the practice's details are missing."""
    settings = get_settings()
    if not settings.name or not settings.postal_address:
        raise ValueError("the practice's name and postal address are required")
    now = utcnow()
    mark_step("golive", "done", actor)
    PracticeSettings.update(setup_completed_at=now, updated_at=now).where(
        PracticeSettings.id == 1
    ).execute()
    audit.record(actor, "setup.completed", "practice:1")
    return now


@dataclass
class Item:
    """One line of the go-live checklist."""

    key: str
    label: str
    done: bool
    detail: str
    # Where to do it, and the permission that page needs.
    endpoint: str = ""
    permission: str = "settings"


def checklist():
    """Say what is done and what is left, from the database as it is now."""
    settings = PracticeSettings.get_by_id(1)
    things = done_things(settings)
    lines = ServiceLine.select().where(ServiceLine.active == True).count()  # noqa: E712
    places = Location.select().where(Location.active == True).count()  # noqa: E712
    members = Member.select().where(Member.erased_at.is_null()).count()
    items = [
        Item(
            "practice",
            _l("Practice details"),
            bool(settings.name and settings.postal_address and settings.us_state),
            f"{settings.name or 'no name yet'}, {settings.us_state or 'no state'}",
            "setup.practice",
        ),
        Item(
            "services",
            _l("Service lines and locations"),
            lines > 0,
            f"{lines} service line(s), {places} location(s)",
            "setup.services",
        ),
        Item(
            "branding",
            _l("Branding"),
            bool(step_state("branding", settings)),
            _branding_detail(settings),
            "setup.branding",
        ),
        _policy_item(),
        Item(
            "catalog",
            _l("Recognition catalog"),
            CatalogItem.select().where(CatalogItem.active == True).exists(),  # noqa: E712
            f"{CatalogItem.select().count()} item(s)",
            "setup.program",
        ),
        Item(
            "prompts",
            _l("Prompt rules"),
            PromptRule.select().exists(),
            "saved" if PromptRule.select().exists() else "not saved yet",
            "setup.program",
        ),
        Item(
            "members",
            _l("Members imported"),
            members > 0,
            f"{members} member(s)",
            "setup.members",
        ),
        _compliance_item(),
    ]
    if settings.membership_enabled:
        plans = MembershipPlan.select().where(MembershipPlan.active == True).count()  # noqa: E712
        items.append(
            Item(
                "plans",
                _l("Membership plans"),
                plans > 0,
                f"{plans} plan(s)",
                "invitations.plans",
            )
        )
    items += [
        Item("document", _l("Program document for counsel"), "document" in things, ""),
        Item("landing", _l("Static referral pages built"), "landing" in things, ""),
        Item("cards", _l("Front-desk QR cards printed"), "cards" in things, ""),
    ]
    return items


def _branding_detail(settings):
    colours = (
        "default colours" if settings.brand_primary == "#0b5563" else "colours set"
    )
    return f"{'logo uploaded' if settings.logo_path else 'no logo'}; {colours}"


def _policy_item():
    active, pending = active_version(), pending_version()
    if active is not None:
        detail = f"version {active.number} signed and in effect"
    elif pending is not None:
        detail = f"version {pending.number} awaits the compliance officer's signature"
    else:
        detail = "no policy yet: nothing of value can be approved"
    return Item(
        "policy",
        _l("Recognition policy signed"),
        active is not None,
        detail,
        "compliance.overview" if pending is not None else "setup.program",
        "compliance" if pending is not None else "settings",
    )


def _compliance_item():
    signers = StaffUser.select().where(
        StaffUser.role == "compliance",
        StaffUser.active == True,  # noqa: E712
    )
    count = signers.count()
    detail = (
        f"{count} compliance officer(s)"
        if count
        else "none yet: an administrator can sign, or add one on the Staff page"
    )
    return Item(
        "compliance",
        _l("Compliance officer"),
        count > 0,
        detail,
        "accounts.staff_list",
        "admin",
    )
