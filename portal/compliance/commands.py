"""``portal compliance``: the program document and the audit export as files."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal import audit
from portal.compliance import auditlog, document


@click.group("compliance")
def compliance_group():
    """Produce the documents counsel and compliance review."""


def _format_of(path, chosen, allowed, default):
    if chosen:
        return chosen
    suffix = path.suffix.lower().lstrip(".")
    aliases = {"markdown": "md", "htm": "html", "ndjson": "jsonl"}
    suffix = aliases.get(suffix, suffix)
    return suffix if suffix in allowed else default


@compliance_group.command("document")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(document.FORMATS),
    default=None,
    help="html or md; by default from the file's extension (html).",
)
@with_appcontext
def document_command(out, fmt):
    """Write the program document for counsel from the live configuration."""
    fmt = _format_of(out, fmt, document.FORMATS, "html")
    text = document.markdown() if fmt == "md" else document.html_file()[0]
    out.write_text(text, encoding="utf-8")
    audit.record("cli", "document.exported", "", {"format": fmt})
    click.echo(f"program document written to {out} ({fmt})")


@compliance_group.command("audit-export")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(auditlog.FORMATS),
    default=None,
    help="csv or jsonl; by default from the file's extension (csv).",
)
@click.option("--action", default="", help="Only events with this action.")
@with_appcontext
def audit_export_command(out, fmt, action):
    """Write the audit log, oldest first, as CSV or JSON lines."""
    fmt = _format_of(out, fmt, auditlog.FORMATS, "csv")
    text, count = auditlog.export(fmt, action)
    out.write_text(text, encoding="utf-8")
    auditlog.record_export("cli", fmt, action, count)
    click.echo(f"{count} audit event(s) written to {out} ({fmt})")
    if count == 0 and action:
        click.echo(f"no events with action {action}", err=True)
        sys.exit(1)
