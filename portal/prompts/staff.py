"""Staff pages: the prompts overview with "why no prompt?", alerts and the rules."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from peewee import JOIN

from portal import audit
from portal.accounts.users import actor, permission_required
from portal.db import utcnow, write_transaction
from portal.extensions import htmx
from portal.models import Location, Member, RecoveryAlert, ServiceLine, Visit
from portal.prompts import bp, ruleform, stats, why

ALERTS_SHOWN = 50


@bp.get("/staff/prompts")
@permission_required("signups")
def overview():
    days = request.args.get("days", type=int)
    return _overview_page(days if days in stats.PERIODS else 90, None)


def _overview_page(days, search):
    open_alerts = RecoveryAlert.select().where(RecoveryAlert.resolved_at.is_null())
    return render_template(
        "prompts/overview.html",
        report=stats.overview(days),
        periods=stats.PERIODS,
        open_alerts=open_alerts.count(),
        search=search,
    )


@bp.post("/staff/prompts/why")
@permission_required("signups")
def why_not():
    """Answer "why no prompt?" for one member (posted, so no email in the URL)."""
    text = request.form.get("member", "")
    member = why.find_member(text)
    search = {"text": text, "member": member, "notes": [], "visits": []}
    if member is not None:
        search["notes"] = why.member_notes(member)
        search["visits"] = why.recent_visits(member)
        audit.record(actor(), "prompts.why_viewed", f"member:{member.id}")
    if htmx:
        return render_template("prompts/_why.html", search=search)
    return _overview_page(90, search)


@bp.get("/staff/prompts/alerts")
@permission_required("signups")
def alerts():
    """Service-recovery alerts: open ones first, then the latest resolved."""
    base = (
        RecoveryAlert.select(RecoveryAlert, Visit, Member, ServiceLine, Location)
        .join(Visit)
        .join(
            ServiceLine,
            on=(Visit.service_line == ServiceLine.id),
            join_type=JOIN.LEFT_OUTER,
        )
        .switch(Visit)
        .join(Location, on=(Visit.location == Location.id), join_type=JOIN.LEFT_OUTER)
        .switch(RecoveryAlert)
        .join(Member, on=(RecoveryAlert.member == Member.id))
    )
    open_ones = base.where(RecoveryAlert.resolved_at.is_null()).order_by(
        RecoveryAlert.wants_contact.desc(), RecoveryAlert.created_at.desc()
    )
    resolved = (
        base.where(RecoveryAlert.resolved_at.is_null(False))
        .order_by(RecoveryAlert.resolved_at.desc())
        .limit(ALERTS_SHOWN)
    )
    return render_template(
        "prompts/alerts.html", open_alerts=list(open_ones), resolved=list(resolved)
    )


@bp.post("/staff/prompts/alerts/<int:alert_id>/resolve")
@permission_required("signups")
def resolve_alert(alert_id):
    note = (request.form.get("note") or "").strip()[:2000]
    with write_transaction():
        changed = (
            RecoveryAlert.update(
                resolved_at=utcnow(), resolved_by=current_user.staff.id, note=note
            )
            .where(RecoveryAlert.id == alert_id, RecoveryAlert.resolved_at.is_null())
            .execute()
        )
        if changed:
            audit.record(
                actor(), "recovery_alert.resolved", f"recovery_alert:{alert_id}"
            )
    if not changed:
        abort(404)
    flash(gettext("Alert marked as resolved."), "success")
    return redirect(url_for("prompts.alerts"), 303)


@bp.get("/staff/prompts/rules")
@permission_required("settings")
def rules_page():
    return _rules_page({}, {})


def _rules_page(errors, submitted):
    return render_template(
        "prompts/rules.html",
        scopes=ruleform.scopes(),
        numbers=ruleform.NUMBERS,
        clocks=ruleform.CLOCKS,
        errors=errors,
        submitted=submitted,
    )


@bp.post("/staff/prompts/rules/<scope_key>")
@permission_required("settings")
def save_rule(scope_key):
    scope = ruleform.find_scope(scope_key)
    if scope is None:
        abort(404)
    values, errors = ruleform.read(request.form)
    if errors:
        flash(
            gettext("The rule was not saved; please correct the fields marked."),
            "error",
        )
        return _rules_page({scope.key: errors}, {scope.key: request.form}), 422
    ruleform.save(scope, values, actor())
    flash(gettext("Prompt rule saved for %(scope)s.", scope=scope.label), "success")
    return redirect(url_for("prompts.rules_page") + f"#rule-{scope.key}", 303)


@bp.post("/staff/prompts/rules/<scope_key>/reset")
@permission_required("settings")
def reset_rule(scope_key):
    scope = ruleform.find_scope(scope_key)
    if scope is None:
        abort(404)
    if ruleform.reset(scope, actor()):
        flash(
            gettext("%(scope)s now follows the practice default.", scope=scope.label),
            "success",
        )
    return redirect(url_for("prompts.rules_page"), 303)
