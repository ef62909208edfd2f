"""``portal visits import`` and ``portal prompts run``."""

import csv
import io
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal import audit
from portal.prompts import delivery, intake, tasks

FLAGS = ("minor", "adverse_event", "deceased", "open_complaint")
SIGNAL_COLUMNS = ("scale", "score", "recorded_at", "external_id")
PLAIN = (
    "external_id",
    "member_external_id",
    "member_email",
    "service_line",
    "location",
    "visited_at",
    "amount_cents",
)
TRUE_WORDS = {"1", "true", "yes", "y"}
FALSE_WORDS = {"", "0", "false", "no", "n"}


@click.group("visits")
def visits_group():
    """Bring in visits and their satisfaction signals."""


@visits_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--errors-only", is_flag=True, help="List only the rejected rows.")
@with_appcontext
def visits_import(path, errors_only):
    """Import visits from a CSV file; each row is stored or rejected on its own.

    Columns: external_id, member_external_id or member_email, service_line,
    location, visited_at, and optionally amount (dollars) or amount_cents,
    flag_minor, flag_adverse_event, flag_deceased, flag_open_complaint,
    signal_scale, signal_score, signal_recorded_at, signal_external_id.
    Rows already imported are left as they are. Exits 1 if any row was rejected.
    """
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    rows = list(csv.DictReader(io.StringIO(text)))
    totals = {"created": 0, "unchanged": 0, "rejected": 0}
    for start in range(0, len(rows), intake.MAX_BATCH):
        chunk = rows[start : start + intake.MAX_BATCH]
        report = intake.ingest_visits([item(row) for row in chunk], source="csv")
        tasks.schedule(report.due)
        for line in _lines(chunk, report, start, errors_only):
            click.echo(line)
        totals["created"] += report.created
        totals["unchanged"] += report.unchanged
        totals["rejected"] += len(report.rejected)
    audit.record("cli", "visits.imported", "", totals)
    click.echo(
        f"{len(rows)} row(s): {totals['created']} stored, "
        f"{totals['unchanged']} already there, {totals['rejected']} rejected"
    )
    if totals["rejected"]:
        sys.exit(1)


def item(row):
    """Turn one CSV row into the item the API takes."""
    row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
    found = {key: row[key] for key in PLAIN if row.get(key)}
    if row.get("amount") and "amount_cents" not in found:
        found["amount_cents"] = _cents(row["amount"])
    flags = {flag: _flag(row.get(f"flag_{flag}", "")) for flag in FLAGS}
    found["flags"] = flags
    signal = {
        key: row[f"signal_{key}"] for key in SIGNAL_COLUMNS if row.get(f"signal_{key}")
    }
    if signal:
        found["signal"] = signal
    return found


def _cents(text):
    try:
        return int(Decimal(text.replace("$", "").replace(",", "")) * 100)
    except InvalidOperation:
        return text  # left for validation to name


def _flag(text):
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    return text


def _column(field_name):
    """Name the CSV column an API field came from."""
    if field_name.startswith("flags."):
        return "flag_" + field_name.split(".", 1)[1]
    if field_name.startswith("signal."):
        return "signal_" + field_name.split(".", 1)[1]
    return field_name


def _lines(chunk, report, start, errors_only):
    rejected = {r["index"]: r["errors"] for r in report.rejected}
    for index, row in enumerate(chunk):
        line = start + index + 2  # the header is line 1
        if index in rejected:
            reasons = "; ".join(
                f"{_column(e['field'])}: {e['message']}" for e in rejected[index]
            )
            yield f"line {line}: rejected: {reasons}"
        elif errors_only:
            continue
        elif (row.get("external_id") or "").strip() in report.created_ids:
            yield f"line {line}: stored"
        else:
            yield f"line {line}: already stored, left unchanged"


@click.group("prompts")
def prompts_group():
    """Post-visit prompts."""


@prompts_group.command("run")
@with_appcontext
def prompts_run():
    """Send every prompt and survey that is due now (what the sweep does)."""
    click.echo(str(delivery.run_due()))
