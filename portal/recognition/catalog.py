"""The recognition catalog: what may be given, with its retail value."""

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from portal import audit
from portal.db import write_transaction
from portal.models import CatalogItem
from portal.models.recognition import ITEM_KINDS
from portal.recognition.policy import NEVER_ALLOWED

# Kinds that the policy always refuses: they are recorded only to be refused.
REFUSED_KINDS = NEVER_ALLOWED
FIELDS = (
    "name",
    "kind",
    "description",
    "retail_value_cents",
    "cash_equivalent",
    "needs_authorization",
    "active",
)
NAME_MAX = 120


def parse_money(text):
    """Read '$12', '12.5' or '1,200.00' as cents; raise ValueError otherwise."""
    cleaned = (text or "").strip().replace("$", "").replace(",", "")
    if not cleaned:
        raise ValueError("enter an amount in dollars")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError("enter an amount in dollars, like 12.00") from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError("enter a positive amount with at most two decimals")
    return int(amount * 100)


def dollars(cents):
    """Show cents as a form value: 1200 -> '12.00'."""
    return f"{(cents or 0) / 100:.2f}"


def read_item_form(form):
    """Return (values, errors) from a posted catalog item form."""
    values, errors = {}, {}
    values["name"] = " ".join((form.get("name") or "").split())[:NAME_MAX]
    if not values["name"]:
        errors["name"] = _("Give the item a name.")
    values["kind"] = form.get("kind", "")
    if values["kind"] not in ITEM_KINDS:
        errors["kind"] = _("Choose a kind.")
    values["description"] = (form.get("description") or "").strip()[:1000]
    try:
        values["retail_value_cents"] = parse_money(form.get("retail_value"))
    except ValueError:
        errors["retail_value"] = _("Enter an amount in dollars, like 12.00.")
    values["cash_equivalent"] = bool(form.get("cash_equivalent"))
    values["needs_authorization"] = bool(form.get("needs_authorization")) or (
        values["kind"] == "public_recognition"
    )
    values["active"] = bool(form.get("active"))
    return values, errors


def save_item(values, actor, item=None):
    """Create or change a catalog item and record what changed."""
    with write_transaction():
        if item is None:
            item = CatalogItem.create(**values)
            changed = sorted(values)
            action = "catalog.item_created"
        else:
            changed = [f for f in FIELDS if getattr(item, f) != values[f]]
            for name in changed:
                setattr(item, name, values[name])
            item.save()
            action = "catalog.item_changed"
        if changed:
            audit.record(
                actor,
                action,
                f"catalog_item:{item.id}",
                {
                    "changed": changed,
                    "retail_value_cents": item.retail_value_cents,
                    "kind": item.kind,
                    "active": item.active,
                },
            )
    return item


def always_refused(item):
    return item.kind in REFUSED_KINDS or item.cash_equivalent


def items():
    return list(
        CatalogItem.select().order_by(CatalogItem.active.desc(), CatalogItem.id)
    )
