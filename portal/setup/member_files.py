"""A members file during setup: kept, previewed, mapped, checked, then imported.

The file waits in the instance folder under a random token (the session holds
only the token, never patient data) and is deleted once imported. The import
itself is ``portal.members.importer``: all rows or none, in one transaction.
It runs in a thread of the web process so it needs no worker, and writes its
progress to a small JSON file that any web process on the machine can read.
An import cut short by a restart writes nothing (the transaction never
commits) and shows as stopped.
"""

import csv
import io
import json
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from portal import audit
from portal.db import database, write_transaction
from portal.members import importer
from portal.setup import progress

log = logging.getLogger("portal")

FOLDER = "setup-imports"
PREVIEW_ROWS = 5
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Files left behind by an abandoned setup are removed after a day.
KEEP_SECONDS = 24 * 3600
# A running import that has not written progress for this long has stopped.
STALE_SECONDS = 120
SYNONYMS = {
    "email": ("email", "e_mail", "email_address", "mail"),
    "first_name": ("first_name", "first", "firstname", "given_name", "forename"),
    "last_name": ("last_name", "last", "lastname", "surname", "family_name"),
    "phone": ("phone", "mobile", "cell", "phone_number", "mobile_phone", "telephone"),
    "external_id": ("external_id", "mrn", "patient_id", "chart_number", "record_id"),
    "preferred_language": ("preferred_language", "language", "lang"),
    "payer_category": ("payer_category", "payer", "insurance_type"),
    "us_state": ("us_state", "state"),
    "household": ("household", "household_id", "family_id"),
    "plan": ("plan", "membership_plan"),
    "membership_status": ("membership_status", "status"),
    "membership_started_on": ("membership_started_on", "start_date", "member_since"),
    "is_clinician_or_staff": ("is_clinician_or_staff", "staff", "is_staff"),
}


@dataclass
class Upload:
    token: str
    filename: str
    headers: list
    preview: list
    mapping: dict


def _folder():
    path = Path(current_app.instance_path) / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def _paths(token):
    if not TOKEN.match(token or ""):
        raise LookupError("not an upload token")
    folder = _folder()
    return folder / f"{token}.csv", folder / f"{token}.json"


def _normal(header):
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def guess_mapping(headers):
    """Match the file's columns to the portal's by name: {target: header}."""
    found = {}
    for header in headers:
        key = _normal(header)
        for target, words in SYNONYMS.items():
            if key in words and target not in found:
                found[target] = header
                break
    return found


def _header_and_preview(text):
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    headers = next(rows, [])
    preview = []
    for row in rows:
        if len(preview) == PREVIEW_ROWS:
            break
        preview.append(row)
    return headers, preview


def save(data, filename):
    """Keep an uploaded file; return its Upload (raises ValueError if unusable)."""
    sweep()
    text = data.decode("utf-8-sig", errors="replace")
    headers, preview = _header_and_preview(text)
    if not [h for h in headers if h.strip()]:
        raise ValueError(
            "The file has no header row; the first line names the columns."
        )
    token = secrets.token_urlsafe(18)
    csv_path, meta_path = _paths(token)
    csv_path.write_text(text, encoding="utf-8")
    upload = Upload(
        token, Path(filename or "members.csv").name[:120], headers, preview, {}
    )
    upload.mapping = guess_mapping(headers)
    _write(meta_path, {"filename": upload.filename, "mapping": upload.mapping})
    return upload


def load(token):
    """Return the Upload for a token, or None when it is gone."""
    try:
        csv_path, meta_path = _paths(token)
    except LookupError:
        return None
    if not csv_path.is_file():
        return None
    meta = _read(meta_path)
    headers, preview = _header_and_preview(csv_path.read_text(encoding="utf-8"))
    return Upload(token, meta.get("filename", ""), headers, preview, meta["mapping"])


def set_mapping(upload, chosen):
    """Keep the columns chosen for each field: {target: header or ""}."""
    problems = {}
    mapping = {t: h for t, h in chosen.items() if t in importer.COLUMNS and h}
    for target, header in mapping.items():
        if header not in upload.headers:
            problems[target] = "is not a column of the file"
    used = {}
    for target, header in mapping.items():
        if header in used:
            problems[target] = f"uses the same column as {used[header]}"
        used.setdefault(header, target)
    for target in importer.REQUIRED:
        if target not in mapping:
            problems[target] = "needs a column"
    upload.mapping = mapping
    _, meta_path = _paths(upload.token)
    meta = _read(meta_path)
    meta["mapping"] = mapping
    _write(meta_path, meta)
    return problems


def check(upload):
    """Read every row with the chosen mapping; nothing is written."""
    csv_path, _ = _paths(upload.token)
    text = csv_path.read_text(encoding="utf-8")
    source = {header: target for target, header in upload.mapping.items()}
    return importer.read(text, source)


def status(token):
    """Return the import's progress, or None before it started."""
    try:
        _, meta_path = _paths(token)
    except LookupError:
        return None
    job = _read(meta_path).get("job")
    if job and job["state"] == "running":
        if time.time() - job.get("touched", 0) > STALE_SECONDS:
            job["state"] = "stopped"
    return job


def start(token, actor):
    """Start importing in a thread of this process; return at once."""
    _, meta_path = _paths(token)
    meta = _read(meta_path)
    meta["job"] = _job("running", 0, 0)
    _write(meta_path, meta)
    app = current_app._get_current_object()
    worker = threading.Thread(
        target=_run_in_thread, args=(app, token, actor), daemon=True
    )
    worker.start()
    return worker


def _run_in_thread(app, token, actor):
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            run(token, actor)
        except Exception:
            log.exception("member import %s failed", token[:6])
            _set_job(token, _job("failed", 0, 0, message="The import failed."))
        finally:
            if not database.is_closed():
                database.close()


def run(token, actor):
    """Import every row of a checked file, writing progress as it goes."""
    upload = load(token)
    report = check(upload)
    if not report.ok:
        _set_job(token, _job("failed", 0, len(report.rows), errors=len(report.errors)))
        return report
    total = len(report.rows)
    step = max(1, total // 50)
    done = 0

    def advance(count):
        nonlocal done
        done += count
        if done % step == 0:
            _set_job(token, _job("running", done, total))

    with write_transaction():
        importer.apply(report, progress=advance)
    audit.record(
        actor,
        "members.imported",
        "",
        {"created": report.created, "updated": report.updated, "via": "setup"},
    )
    progress.mark_step("members", "done", actor)
    csv_path, _ = _paths(token)
    csv_path.unlink(missing_ok=True)
    _set_job(
        token,
        _job("done", total, total, created=report.created, updated=report.updated),
    )
    log.info("member import %s done rows=%s", token[:6], total)
    return report


def _job(state, done, total, **extra):
    return {
        "state": state,
        "done": done,
        "total": total,
        "touched": time.time(),
        **extra,
    }


def _set_job(token, job):
    _, meta_path = _paths(token)
    meta = _read(meta_path)
    meta["job"] = job
    _write(meta_path, meta)


def _read(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"mapping": {}}


def _write(path, document):
    # Write then rename, so a reader never sees half a file.
    partial = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
    partial.write_text(json.dumps(document), encoding="utf-8")
    os.replace(partial, path)


def discard_waiting():
    """Delete every members file still waiting: once setup ends, none should."""
    for path in _folder().glob("*.csv"):
        path.unlink(missing_ok=True)


def sweep():
    """Delete files left behind by an upload abandoned a day ago or more."""
    cutoff = time.time() - KEEP_SECONDS
    for path in _folder().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue
