"""Staff pages: the approval queue and a member's recognition ledger."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.users import actor, permission_required
from portal.extensions import htmx
from portal.models import CatalogItem, Member, Recognition
from portal.recognition import bp, cards, consent, labels, ledger, workflow
from portal.recognition.policy import effective_caps
from portal.recognition.versions import active_version

PAGE_SIZE = 20
TABS = ("proposed", "approved", "fulfilled", "denied")


@bp.record_once
def _register_labels(state):
    labels.register(state.app)


def _page_number():
    raw = request.args.get("page", "1")
    return max(int(raw), 1) if raw.isdigit() else 1


@bp.get("/")
@permission_required("approve")
def queue():
    """List recognitions of one status, oldest proposals first."""
    status = request.args.get("status", "proposed")
    status = status if status in TABS else "proposed"
    page = _page_number()
    query = (
        Recognition.select(Recognition, Member, CatalogItem)
        .join(Member)
        .switch(Recognition)
        .join(CatalogItem)
        .where(Recognition.status == status)
    )
    if status == "proposed":
        query = query.order_by(Recognition.proposed_at, Recognition.id)
    else:
        query = query.order_by(Recognition.decided_at.desc(), Recognition.id.desc())
    total = query.count()
    rows = list(query.paginate(page, PAGE_SIZE))
    return render_template(
        "recognition/queue.html",
        status=status,
        tabs=TABS,
        counts=_counts(),
        cards=cards.build(rows, current_user.staff),
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        version=active_version(),
    )


def _counts():
    counts = dict.fromkeys(TABS, 0)
    query = Recognition.select(Recognition.status).tuples()
    for (status,) in query:
        counts[status] = counts.get(status, 0) + 1
    return counts


NOTICES = {
    "approved": lambda o: _("Approved. The member gets a thank-you email."),
    "awaiting_second": lambda o: _(
        "Your approval is recorded. A second staff user must also approve."
    ),
    "denied": lambda o: _(
        "Denied because a policy check failed: %(checks)s.",
        checks=", ".join(
            str(labels.CHECKS.get(c.name, c.name)) for c in o.decision.failed
        ),
    ),
}
ERRORS = {
    "same_approver": lambda: _("You approved this already; a second person must."),
    "wrong_status": lambda: _("Someone else decided this one already."),
    "reason_required": lambda: _("Say why it is denied."),
    "reason_too_long": lambda: _("Keep the reason under 500 characters."),
}


@bp.post("/<int:recognition_id>/approve")
@permission_required("approve")
def approve(recognition_id):
    try:
        outcome = workflow.approve(recognition_id, current_user.staff)
    except workflow.RecognitionError as exc:
        return _answer(recognition_id, error=_error(exc))
    return _answer(recognition_id, notice=NOTICES[outcome.status](outcome))


@bp.post("/<int:recognition_id>/deny")
@permission_required("approve")
def deny(recognition_id):
    reason = request.form.get("reason", "")
    try:
        workflow.deny(recognition_id, current_user.staff, reason)
    except workflow.RecognitionError as exc:
        field = exc.code.startswith("reason")
        return _answer(
            recognition_id,
            error=None if field else _error(exc),
            deny_error=_error(exc) if field else None,
            reason=reason,
        )
    return _answer(recognition_id, notice=_("Denied. The reason is on record."))


@bp.post("/<int:recognition_id>/fulfil")
@permission_required("approve")
def fulfil(recognition_id):
    try:
        workflow.fulfil(recognition_id, current_user.staff)
    except workflow.RecognitionError as exc:
        return _answer(recognition_id, error=_error(exc))
    return _answer(recognition_id, notice=_("Marked as given to the member."))


def _error(exc):
    if exc.code == "not_found":
        abort(404)
    return ERRORS.get(exc.code, lambda: str(exc))()


def _answer(recognition_id, notice=None, error=None, deny_error=None, reason=""):
    """Swap the card for htmx; otherwise flash and go back to the queue."""
    recognition = Recognition.get_or_none(Recognition.id == recognition_id)
    if recognition is None:
        abort(404)
    back = request.form.get("status")
    back = back if back in TABS else "proposed"
    if htmx:
        card = render_template(
            "recognition/_card.html",
            card=cards.one(recognition, current_user.staff),
            notice=notice,
            error=error,
            deny_error=deny_error,
            reason=reason,
        )
        # The tab counts change too; htmx swaps them in by their id.
        tabs = render_template(
            "recognition/_tabs.html", tabs=TABS, counts=_counts(), status=back, oob=True
        )
        return card + tabs
    flash(notice or error or deny_error, "success" if notice else "error")
    return redirect(url_for("recognition.queue", status=back))


def _may_read_ledger():
    return current_user.can("approve") or current_user.can("compliance")


@bp.get("/members/<int:member_id>")
@permission_required("staff_area")
def member_ledger(member_id):
    """Show everything proposed for one member, with this year's total."""
    if not _may_read_ledger():
        abort(403)
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        abort(404)
    version = active_version()
    facts = ledger.member_facts(member)
    per_item, annual = effective_caps(version.rules, facts) if version else (0, 0)
    recognitions = list(member.recognitions.order_by(Recognition.proposed_at.desc()))
    return render_template(
        "recognition/ledger.html",
        member=member,
        facts=facts,
        year=ledger.practice_year(),
        ytd=ledger.year_to_date(member.id),
        per_item_cap=per_item,
        annual_cap=annual,
        recognitions=recognitions,
        version=version,
    )


@bp.post("/members/<int:member_id>/authorization")
@permission_required("approve")
def authorization(member_id):
    """Record or withdraw the member's written authorization for public thanks."""
    member = Member.get_or_none(Member.id == member_id)
    if member is None:
        abort(404)
    if request.form.get("action") == "withdraw":
        consent.withdraw(member, actor())
        flash(_("The authorization is withdrawn."), "success")
    elif request.form.get("confirm"):
        consent.record(member, actor())
        flash(_("The signed authorization is on record."), "success")
    else:
        flash(_("Confirm that the signed authorization is on file."), "error")
    return redirect(url_for("recognition.member_ledger", member_id=member.id))
