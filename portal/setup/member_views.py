"""The members step: upload, preview, map columns, dry run, import with progress."""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.accounts.users import actor, permission_required
from portal.extensions import htmx
from portal.members import importer
from portal.setup import bp, member_files
from portal.setup.views import render_step, skipped

SESSION_KEY = "setup_upload"
COLUMN_LABELS = {
    "email": _l("Email"),
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "phone": _l("Mobile phone"),
    "external_id": _l("Record number (your system's id)"),
    "preferred_language": _l("Language (en or es)"),
    "payer_category": _l("Payer"),
    "us_state": _l("State"),
    "household": _l("Household"),
    "plan": _l("Membership plan"),
    "membership_status": _l("Membership status"),
    "membership_started_on": _l("Member since (YYYY-MM-DD)"),
    "is_clinician_or_staff": _l("Clinician or staff (yes/no)"),
}


def _current_upload():
    return member_files.load(session.get(SESSION_KEY, ""))


def _page(upload=None, report=None, problems=None, status=200):
    # The job outlives the file: the file is deleted once it is imported.
    token = session.get(SESSION_KEY, "")
    job = member_files.status(token) if token else None
    return render_step(
        "members",
        "setup/members.html",
        status,
        upload=upload,
        report=report,
        problems=problems or {},
        job=job,
        token=token,
        columns=importer.COLUMNS,
        required=importer.REQUIRED,
        labels=COLUMN_LABELS,
    )


@bp.route("/members", methods=["GET", "POST"], endpoint="members")
@permission_required("settings")
def members_step():
    if request.method == "POST":
        return skipped("members") or redirect(url_for("setup.members"))
    member_files.sweep()
    return _page(_current_upload())


@bp.post("/members/upload")
@permission_required("settings")
def members_upload():
    """Keep the file and show its first rows with the columns matched by name."""
    sent = request.files.get("members_file")
    if not sent or not sent.filename:
        flash(_("Choose a CSV file to upload."), "error")
        return redirect(url_for("setup.members"))
    try:
        upload = member_files.save(sent.read(), sent.filename)
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("setup.members"))
    session[SESSION_KEY] = upload.token
    return redirect(url_for("setup.members"))


@bp.post("/members/check")
@permission_required("settings")
def members_check():
    """Dry run: read every row with the chosen columns and list every problem."""
    upload = _current_upload()
    if upload is None:
        flash(_("Upload the members file again; the last one is gone."), "error")
        return redirect(url_for("setup.members"))
    chosen = {
        column: request.form.get(f"map-{column}", "") for column in importer.COLUMNS
    }
    problems = member_files.set_mapping(upload, chosen)
    if problems:
        return _page(upload, problems=problems, status=422)
    report = member_files.check(upload)
    return _page(upload, report=report, status=200 if report.ok else 422)


@bp.post("/members/import")
@permission_required("settings")
def members_import():
    """Start the import; htmx then polls its progress."""
    upload = _current_upload()
    if upload is None:
        flash(_("Upload the members file again; the last one is gone."), "error")
        return redirect(url_for("setup.members"))
    job = member_files.status(upload.token)
    if not job or job["state"] in ("failed", "stopped"):
        member_files.start(upload.token, actor())
    if htmx:
        return _progress_fragment(upload.token)
    return redirect(url_for("setup.members"))


@bp.get("/members/progress/<token>")
@permission_required("settings")
def members_progress(token):
    if session.get(SESSION_KEY) != token:
        abort(404)
    return _progress_fragment(token)


def _progress_fragment(token):
    return render_template(
        "setup/_import_progress.html", job=member_files.status(token), token=token
    )
