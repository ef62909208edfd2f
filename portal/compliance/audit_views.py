"""The audit log for compliance: browse by page and action, verify, export."""

from flask import Response, abort, render_template, request

from portal.accounts.users import actor, permission_required
from portal.compliance import auditlog, bp
from portal.db import utcnow

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}


@bp.get("/audit")
@permission_required("compliance")
def audit_log():
    """Page through the log, newest first, optionally one action only."""
    action = request.args.get("action", "")
    known = auditlog.actions()
    if action and action not in known:
        action = ""
    raw = request.args.get("page", "1")
    page = max(int(raw), 1) if raw.isdigit() else 1
    events, pages, total = auditlog.page_of(page, action)
    return render_template(
        "compliance/audit.html",
        events=events,
        page=min(page, pages),
        pages=pages,
        total=total,
        action=action,
        actions=known,
    )


@bp.get("/audit/verify")
@permission_required("compliance")
def audit_verify():
    return render_template(
        "compliance/audit_verify.html", audit=auditlog.verification()
    )


@bp.get("/audit/export.<fmt>")
@permission_required("compliance")
def audit_export(fmt):
    """Download the whole log (or one action) as CSV or JSON lines."""
    if fmt not in auditlog.FORMATS:
        abort(404)
    action = request.args.get("action", "")
    text, count = auditlog.export(fmt, action)
    auditlog.record_export(actor(), fmt, action, count)
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return Response(
        text,
        mimetype=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="audit-{stamp}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )
