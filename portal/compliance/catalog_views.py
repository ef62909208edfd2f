"""The recognition catalog, edited by compliance."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.accounts.users import actor, permission_required
from portal.compliance import bp
from portal.models import CatalogItem
from portal.models.recognition import ITEM_KINDS
from portal.recognition import catalog


def _item_or_404(item_id):
    item = CatalogItem.get_or_none(CatalogItem.id == item_id)
    if item is None:
        abort(404)
    return item


def _values_of(item):
    return {
        "name": item.name,
        "kind": item.kind,
        "description": item.description,
        "retail_value": catalog.dollars(item.retail_value_cents),
        "cash_equivalent": item.cash_equivalent,
        "needs_authorization": item.needs_authorization,
        "active": item.active,
    }


def _page(item, values, errors, status=200):
    page = render_template(
        "compliance/catalog.html",
        items=catalog.items(),
        item=item,
        values=values,
        errors=errors,
        kinds=ITEM_KINDS,
        always_refused=catalog.always_refused,
    )
    return page, status


@bp.get("/catalog")
@permission_required("compliance")
def catalog_list():
    """List the catalog with a form for a new item."""
    blank = {
        "name": "",
        "kind": "thank_you_note",
        "retail_value": "0.00",
        "active": True,
    }
    return _page(None, blank, {})


@bp.get("/catalog/<int:item_id>")
@permission_required("compliance")
def catalog_edit(item_id):
    item = _item_or_404(item_id)
    return _page(item, _values_of(item), {})


@bp.post("/catalog")
@bp.post("/catalog/<int:item_id>")
@permission_required("compliance")
def catalog_save(item_id=None):
    """Create or change an item; every change is an audit event."""
    item = _item_or_404(item_id) if item_id else None
    values, errors = catalog.read_item_form(request.form)
    if errors:
        shown = dict(values, retail_value=request.form.get("retail_value", ""))
        return _page(item, shown, errors, 422)
    saved = catalog.save_item(values, actor(), item)
    if catalog.always_refused(saved):
        flash(_("Saved. The policy will always refuse this item."), "success")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("compliance.catalog_list"))
