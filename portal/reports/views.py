"""The monthly report page, its downloads, and the sign-ups CSV export."""

import json
from datetime import date

from flask import Response, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit
from portal.accounts.users import actor, permission_required
from portal.practice import get_settings
from portal.reports import bp, exports, monthly, presenter
from portal.reports.period import Month

MAX_EXPORT_DAYS = 3700


def _month_or_error():
    raw = request.args.get("month", "").strip()
    timezone = get_settings().timezone
    if not raw:
        return monthly.current_month(timezone), None
    try:
        return Month.parse(raw), None
    except ValueError:
        message = _("Enter a month as YYYY-MM, for example 2026-03.")
        return monthly.current_month(timezone), message


@bp.get("/monthly", endpoint="monthly")
@permission_required("reports")
def monthly_report():
    month, error = _month_or_error()
    settings = get_settings()
    report = monthly.build(month, settings.timezone)
    context = presenter.page_context(report, show_names=True)
    current = monthly.current_month(settings.timezone)
    return (
        render_template(
            "reports/monthly.html",
            previous_month=month.shift(-1),
            next_month=month.shift(1) if month < current else None,
            month_so_far=month == current,
            month_error=error,
            month_value=request.args.get("month", str(month)) if error else str(month),
            can_settings=current_user.can("settings"),
            export_from=month.first_day().date().isoformat(),
            export_to=presenter.last_day(month).isoformat(),
            **context,
        ),
        400 if error else 200,
    )


@bp.get("/monthly.<fmt>")
@permission_required("reports")
def monthly_download(fmt):
    month, error = _month_or_error()
    if error or fmt not in ("csv", "json"):
        return monthly_report()
    report = monthly.build(month, get_settings().timezone)
    audit.record(actor(), "report.exported", f"report:{month}", {"format": fmt})
    if fmt == "json":
        body, mimetype = json.dumps(report, indent=2), "application/json"
    else:
        body, mimetype = exports.monthly_csv(report), "text/csv"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="referrals-{month}.{fmt}"'
        },
    )


def _export_range():
    """Read from/to dates; return (first, last, errors by field)."""
    errors, values = {}, {}
    for name in ("from", "to"):
        try:
            values[name] = date.fromisoformat(request.args.get(name, "").strip())
        except ValueError:
            errors[name] = _("Enter a date as YYYY-MM-DD.")
    first, last = values.get("from"), values.get("to")
    if first and last and first > last:
        errors["to"] = _("The last day must not be before the first.")
    elif first and last and (last - first).days > MAX_EXPORT_DAYS:
        errors["to"] = _("Choose a range of at most ten years.")
    return first, last, errors


@bp.get("/signups")
@permission_required("reports")
def signups_export():
    month = monthly.current_month(get_settings().timezone)
    return render_template(
        "reports/signups_export.html",
        errors={},
        first=request.args.get("from", month.first_day().date().isoformat()),
        last=request.args.get("to", presenter.last_day(month).isoformat()),
    )


@bp.get("/signups.csv")
@permission_required("reports")
def signups_csv():
    first, last, errors = _export_range()
    if errors:
        page = render_template(
            "reports/signups_export.html",
            errors=errors,
            first=request.args.get("from", ""),
            last=request.args.get("to", ""),
        )
        return page, 400
    timezone = get_settings().timezone
    start, end = exports.date_bounds(first, last, timezone)
    rows = exports.count_signups(start, end)
    audit.record(
        actor(),
        "signups.exported",
        "",
        {"from": first.isoformat(), "to": last.isoformat(), "rows": rows},
    )
    lines = exports.signup_lines(start, end, timezone)
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="signups-{first}-{last}.csv"'
        },
    )
