"""Staff: the sign-ups list with filters, and moving a sign-up through its statuses."""

from datetime import date, datetime, timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from peewee import JOIN

from portal import audit, events
from portal.accounts.users import actor, permission_required
from portal.db import is_sqlite, utcnow, write_transaction
from portal.extensions import htmx
from portal.models import Member, ServiceLine, SignUp
from portal.models.referrals import CHANNELS, SIGNUP_STATUSES
from portal.practice import practice_zone
from portal.reports.period import to_utc
from portal.staff import bp
from portal.web import safe_next

PAGE_SIZE = 50


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _day_starts(day):
    """When a day begins on the practice's clock, as stored (naive UTC)."""
    return to_utc(datetime.combine(day, datetime.min.time()), practice_zone().key)


def read_filters(args):
    """The list's filters from the query string, unknown values dropped."""
    filters = {
        "status": args.get("status") if args.get("status") in SIGNUP_STATUSES else "",
        "service_line": args.get("service_line", "")[:64],
        "channel": args.get("channel") if args.get("channel") in CHANNELS else "",
        "ambassador": args.get("ambassador", "")
        if args.get("ambassador", "").isdigit()
        else "",
        "since": _date(args.get("since")),
        "until": _date(args.get("until")),
    }
    if args.get("channel") == "none":
        filters["channel"] = "none"
    return filters


def filtered(filters):
    """Select the sign-ups that match the filters, newest first."""
    query = (
        SignUp.select(SignUp, ServiceLine, Member)
        .join(ServiceLine, JOIN.LEFT_OUTER, on=(SignUp.service_line == ServiceLine.id))
        .switch(SignUp)
        .join(Member, JOIN.LEFT_OUTER, on=(SignUp.ambassador == Member.id))
    )
    if filters["status"]:
        query = query.where(SignUp.status == filters["status"])
    if filters["service_line"]:
        query = query.where(ServiceLine.slug == filters["service_line"])
    if filters["channel"] == "none":
        query = query.where(SignUp.channel.is_null())
    elif filters["channel"]:
        query = query.where(SignUp.channel == filters["channel"])
    if filters["ambassador"]:
        query = query.where(SignUp.ambassador == int(filters["ambassador"]))
    if filters["since"]:
        query = query.where(SignUp.created_at >= _day_starts(filters["since"]))
    if filters["until"]:
        end = _day_starts(filters["until"] + timedelta(days=1))
        query = query.where(SignUp.created_at < end)
    return query.order_by(SignUp.created_at.desc(), SignUp.id.desc())


def _page_number():
    value = request.args.get("page", "1")
    return max(int(value), 1) if value.isdigit() else 1


STATUS_LABELS = {
    "new": _l("New"),
    "contacted": _l("Contacted"),
    "scheduled": _l("Scheduled"),
    "seen": _l("Seen"),
    "became_patient": _l("Became a patient"),
    "closed": _l("Closed"),
}


def status_label(status):
    return str(STATUS_LABELS.get(status, status))


bp.add_app_template_global(status_label)


def _page_url(page):
    args = request.args.to_dict()
    args["page"] = page
    return url_for("staff.signups", **args)


@bp.get("/signups")
@permission_required("signups")
def signups():
    filters = read_filters(request.args)
    query = filtered(filters)
    page = _page_number()
    total = query.count()
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    context = {
        "signups": list(query.paginate(page, PAGE_SIZE)),
        "filters": filters,
        "total": total,
        "page": page,
        "pages": pages,
        "prev_url": _page_url(page - 1) if page > 1 else None,
        "next_url": _page_url(page + 1) if page < pages else None,
        "statuses": SIGNUP_STATUSES,
        "channels": CHANNELS,
        "service_lines": list(ServiceLine.select().order_by(ServiceLine.position)),
    }
    if htmx and htmx.target == "signup-results":
        return render_template("staff/_signup_results.html", **context)
    return render_template("staff/signups.html", **context)


def change_status(signup_id, new_status, who):
    """Move a sign-up to a status; record it and announce it. Return the sign-up."""
    with write_transaction():
        query = SignUp.select().where(SignUp.id == signup_id)
        if not is_sqlite():
            query = query.for_update()
        signup = query.first()
        if signup is None:
            return None
        old_status = signup.status
        if old_status == new_status:
            return signup
        signup.status = new_status
        signup.status_changed_at = utcnow()
        if new_status == "became_patient" and signup.became_patient_at is None:
            signup.became_patient_at = signup.status_changed_at
        signup.save()
        audit.record(
            who,
            "signup.status_changed",
            f"signup:{signup.id}",
            {"old_status": old_status, "new_status": new_status},
        )
        events.signup_status_changed.send(
            signup, old_status=old_status, new_status=new_status
        )
    return signup


@bp.post("/signups/<int:signup_id>/status")
@permission_required("signups")
def signup_status(signup_id):
    new_status = request.form.get("status", "")
    if new_status not in SIGNUP_STATUSES:
        abort(400)
    signup = change_status(signup_id, new_status, actor())
    if signup is None:
        abort(404)
    if htmx:
        row = filtered(read_filters({})).where(SignUp.id == signup.id).first()
        return render_template(
            "staff/_signup_row.html", signup=row, statuses=SIGNUP_STATUSES, saved=True
        )
    return redirect(safe_next(request.form.get("back"), url_for("staff.signups")), 303)
