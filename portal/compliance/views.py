"""Compliance pages: the overview, policy versions and their sign-off."""

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.users import actor, permission_required
from portal.compliance import auditlog, bp, policy_form
from portal.compliance.policy_form import LOCKED_KINDS, OPTIONAL_KINDS
from portal.models import PolicyVersion
from portal.models.recognition import ITEM_KINDS, TRIGGERS
from portal.recognition import ledger, versions
from portal.recognition.policy import FEDERAL_RULES
from portal.recognition.rules import diff_rules

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md_escape(value):
    """Escape text for a Markdown line or table cell."""
    text = " ".join(str(value if value is not None else "").split())
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


@bp.record_once
def _register_filters(state):
    state.app.jinja_env.filters["md"] = md_escape


@bp.get("/")
@permission_required("compliance")
def overview():
    """The compliance officer's start page: policy, approvals, audit, document."""
    active = versions.active_version()
    pending = versions.pending_version()
    return render_template(
        "compliance/overview.html",
        active=active,
        pending=pending,
        changes=diff_rules(active.rules if active else {}, pending.rules)
        if pending
        else [],
        audit=auditlog.verification(),
        year=ledger.practice_year(),
    )


def _form_page(values, errors, status=200):
    page = render_template(
        "compliance/policy_form.html",
        values=values,
        errors=errors,
        item_kinds=ITEM_KINDS,
        optional_kinds=OPTIONAL_KINDS,
        locked_kinds=LOCKED_KINDS,
        triggers=TRIGGERS,
        federal_rules=FEDERAL_RULES,
        signoff_kinds=("service_credit", "discount", "copay_waiver"),
        pending=versions.pending_version(),
    )
    return page, status


@bp.get("/policy/new")
@permission_required("compliance")
def policy_new():
    """Show the rules in effect as a form; saving creates a new version."""
    return _form_page(policy_form.values_from(versions.base_rules()), {})


@bp.post("/policy/new")
@permission_required("compliance")
def policy_create():
    rules, errors = policy_form.read(request.form, versions.base_rules())
    if not errors:
        try:
            version = versions.create_version(
                rules, actor(), current_user.staff, request.form.get("note", "")
            )
        except versions.PolicyError as exc:
            errors = {"_form": str(exc)}
            errors.update(dict(exc.errors))
        else:
            flash(
                _("Version %(n)s is saved and awaits sign-off.", n=version.number),
                "success",
            )
            return redirect(url_for("compliance.overview"))
    return _form_page(policy_form.values_from_form(request.form), errors, 422)


def _version_or_404(number):
    version = PolicyVersion.get_or_none(PolicyVersion.number == number)
    if version is None:
        abort(404)
    return version


@bp.post("/policy/<int:number>/sign")
@permission_required("compliance")
def policy_sign(number):
    version = _version_or_404(number)
    try:
        versions.sign_version(version, current_user.staff, actor())
    except versions.PolicyError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Version %(n)s is signed and in effect.", n=number), "success")
    return redirect(url_for("compliance.overview"))


@bp.post("/policy/<int:number>/withdraw")
@permission_required("compliance")
def policy_withdraw(number):
    version = _version_or_404(number)
    try:
        versions.withdraw_version(version, actor())
    except versions.PolicyError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Version %(n)s is withdrawn.", n=number), "success")
    return redirect(url_for("compliance.overview"))


@bp.get("/policy/versions")
@permission_required("compliance")
def policy_versions():
    """Every version with what it changed from the one before it."""
    rows = []
    ordered = list(reversed(versions.history()))
    previous = {}
    for version in ordered:
        rows.append((version, diff_rules(previous, version.rules) if previous else []))
        previous = version.rules
    return render_template("compliance/versions.html", rows=list(reversed(rows)))
