"""Staff pages for webhook destinations: add, pause, replay, remove."""

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.users import actor, permission_required
from portal.attribution import bp, destinations, feed
from portal.models import WebhookDestination
from portal.practice import get_settings
from portal.reports.period import to_local, to_utc


def _messages():
    return {
        "url": _("Enter the full address, starting with https://."),
        "url_credentials": _("Leave user names and passwords out of the address."),
        "url_https": _("Use an https:// address; plain http is refused in production."),
        "secret": _(
            "Use a secret of at least %(n)s characters with no spaces.",
            n=destinations.MIN_SECRET,
        ),
        "event_types": _("Choose at least one kind of event."),
    }


def _page(draft, status=200):
    timezone = get_settings().timezone
    return (
        render_template(
            "attribution/webhooks.html",
            rows=destinations.overview(),
            draft=draft,
            messages=_messages(),
            event_types=feed.EVENT_TYPES,
            timezone=timezone,
            local=lambda moment: to_local(moment, timezone),
        ),
        status,
    )


def _destination(destination_id):
    destination = WebhookDestination.get_or_none(
        WebhookDestination.id == destination_id
    )
    if destination is None:
        abort(404)
    return destination


@bp.get("/staff/webhooks")
@permission_required("settings")
def webhooks():
    return _page(destinations.Draft(secret=destinations.new_secret()))


@bp.post("/staff/webhooks")
@permission_required("settings")
def webhook_create():
    production = current_app.config["PORTAL_ENV"] == "production"
    draft = destinations.read_draft(request.form, production)
    if draft.errors:
        return _page(draft, 400)
    destination = destinations.create(draft, current_user.staff, actor())
    flash(
        _("Webhook %(n)s added. New events will be sent to it.", n=destination.id),
        "success",
    )
    return redirect(url_for("attribution.webhooks"))


@bp.post("/staff/webhooks/<int:destination_id>/active")
@permission_required("settings")
def webhook_active(destination_id):
    destination = _destination(destination_id)
    active = request.form.get("active") == "1"
    destinations.set_active(destination, active, actor())
    if active:
        flash(_("Webhook %(n)s resumed.", n=destination.id), "success")
    else:
        flash(_("Webhook %(n)s paused; events wait for it.", n=destination.id))
    return redirect(url_for("attribution.webhooks"))


@bp.post("/staff/webhooks/<int:destination_id>/replay")
@permission_required("settings")
def webhook_replay(destination_id):
    destination = _destination(destination_id)
    raw = request.form.get("since", "").strip()
    try:
        local = datetime.fromisoformat(raw)
    except ValueError:
        flash(_("Choose the date and time to replay from."), "error")
        return redirect(url_for("attribution.webhooks"))
    since = to_utc(local.replace(tzinfo=None), get_settings().timezone)
    queued = destinations.replay(destination, since, actor())
    flash(
        _(
            "%(n)s event(s) queued again for webhook %(id)s.",
            n=queued,
            id=destination.id,
        ),
        "success",
    )
    return redirect(url_for("attribution.webhooks"))


@bp.post("/staff/webhooks/<int:destination_id>/delete")
@permission_required("settings")
def webhook_delete(destination_id):
    destination = _destination(destination_id)
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm the removal."), "error")
        return redirect(url_for("attribution.webhooks"))
    destinations.delete(destination, actor())
    flash(_("Webhook %(n)s removed with its queue.", n=destination_id), "success")
    return redirect(url_for("attribution.webhooks"))
