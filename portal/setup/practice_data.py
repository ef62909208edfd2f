"""Write the practice's details, service lines, locations, branding and plans.

Each function takes values already checked by ``portal.setup.checks`` and
records what changed in the audit log, by field name only.
"""

from portal import audit
from portal.db import utcnow, write_transaction
from portal.models import Location, MembershipPlan, PracticeSettings, ServiceLine
from portal.practice import get_settings

PRACTICE_FIELDS = {
    "name": "name",
    "postal_address": "postal_address",
    "timezone": "timezone",
    "us_state": "us_state",
    "kind": "practice_kind",
    "membership_enabled": "membership_enabled",
    "help_phone": "help_phone",
    "help_email": "help_email",
}
BRANDING_FIELDS = {
    "primary": "brand_primary",
    "accent": "brand_accent",
    "sender_name": "sender_name",
    "reply_to": "reply_to",
}


def practice_values(settings=None):
    """The practice's current details keyed as the checks and forms name them."""
    settings = settings or get_settings()
    return {key: getattr(settings, column) for key, column in PRACTICE_FIELDS.items()}


def branding_values(settings=None):
    settings = settings or get_settings()
    return {key: getattr(settings, column) for key, column in BRANDING_FIELDS.items()}


def _save_settings(values, fields, actor, action):
    get_settings()  # the row exists from here on
    with write_transaction():
        settings = PracticeSettings.get_by_id(1)
        changes = {
            column: values[key]
            for key, column in fields.items()
            if key in values and getattr(settings, column) != values[key]
        }
        if changes:
            # updated_at versions /brand.css, so new colours show at once.
            PracticeSettings.update(updated_at=utcnow(), **changes).where(
                PracticeSettings.id == 1
            ).execute()
            audit.record(actor, action, "practice:1", {"changed": sorted(changes)})
    return sorted(changes)


def save_practice(values, actor):
    return _save_settings(values, PRACTICE_FIELDS, actor, "settings.practice_saved")


def save_branding(values, actor):
    return _save_settings(values, BRANDING_FIELDS, actor, "settings.branding_saved")


def save_origins(text, actor):
    return _save_settings(
        {"allowed_origins": text},
        {"allowed_origins": "allowed_origins"},
        actor,
        "settings.origins_saved",
    )


def set_logo(path, actor):
    """Point the practice at a stored logo file (or at none with "")."""
    return _save_settings(
        {"logo_path": path}, {"logo_path": "logo_path"}, actor, "settings.logo_saved"
    )


def upsert_service_line(values, position, line_id=None):
    """Create or update a service line by id, else by slug; return (line, created)."""
    line = None
    if line_id:
        line = ServiceLine.get_or_none(ServiceLine.id == line_id)
    if line is None:
        line = ServiceLine.get_or_none(ServiceLine.slug == values["slug"])
    created = line is None
    if created:
        line = ServiceLine(slug=values["slug"])
    line.name = values["name"]
    line.sensitive = values["sensitive"]
    line.referral_enabled = values.get("referral_enabled", True)
    if values.get("description"):
        line.description = values["description"]
    line.position = position
    line.active = True
    line.save()
    return line, created


def has_service_line(slug):
    return ServiceLine.select().where(ServiceLine.slug == slug).exists()


def upsert_location(values, location_id=None):
    place = None
    if location_id:
        place = Location.get_or_none(Location.id == location_id)
    if place is None:
        place = Location.get_or_none(Location.slug == values["slug"])
    created = place is None
    if created:
        place = Location(slug=values["slug"])
    place.name = values["name"]
    place.address = values.get("address", "")
    place.active = True
    place.save()
    return place, created


def upsert_plan(values):
    plan = MembershipPlan.get_or_none(MembershipPlan.name == values["name"])
    created = plan is None
    plan = plan or MembershipPlan(name=values["name"])
    plan.monthly_fee_cents = values["monthly_fee_cents"]
    plan.includes = values["includes"]
    plan.cancellation_window_days = values["cancellation_window_days"]
    plan.active = values["active"]
    plan.save()
    return plan, created


def retire_service_lines(keep_ids):
    """Turn off service lines not kept; their history stays."""
    return (
        ServiceLine.update(active=False)
        .where(ServiceLine.id.not_in(list(keep_ids) or [0]), ServiceLine.active == True)  # noqa: E712
        .execute()
    )


def retire_locations(keep_ids):
    return (
        Location.update(active=False)
        .where(Location.id.not_in(list(keep_ids) or [0]), Location.active == True)  # noqa: E712
        .execute()
    )


def save_lines_and_places(lines, places, actor, retire=True):
    """Write service lines [(values, id)] and locations [(values, id)] at once."""
    with write_transaction():
        kept_lines = [
            upsert_service_line(values, position, line_id)[0].id
            for position, (values, line_id) in enumerate(lines)
        ]
        kept_places = [upsert_location(values, pid)[0].id for values, pid in places]
        if retire:
            retire_service_lines(kept_lines)
            retire_locations(kept_places)
        audit.record(
            actor,
            "settings.services_saved",
            "practice:1",
            {"service_lines": kept_lines, "locations": kept_places},
        )
    return kept_lines, kept_places
