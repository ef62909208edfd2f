"""``portal report``: the monthly report and the sign-ups CSV from the shell."""

import json
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app, render_template
from flask.cli import with_appcontext

from portal import audit
from portal.practice import get_settings
from portal.reports import exports, monthly, presenter
from portal.reports.period import Month

DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.group("report")
def report_group():
    """Monthly reports and sign-up exports."""


def _month(ctx, param, value):
    try:
        return Month.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@report_group.command("monthly")
@click.option("--month", required=True, callback=_month, help="YYYY-MM")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "json", "csv"]),
    default="html",
    show_default=True,
)
@click.option("--out", type=click.Path(dir_okay=False), default="-", help="A file.")
@with_appcontext
def report_monthly(month, fmt, out):
    """Write the monthly referral-source report (standard output by default)."""
    report = monthly.build(month, get_settings().timezone)
    if fmt == "json":
        text = json.dumps(report, indent=2) + "\n"
    elif fmt == "csv":
        text = exports.monthly_csv(report)
    else:
        text = _html(report)
    _write(out, text)
    audit.record("cli", "report.exported", f"report:{month}", {"format": fmt})


def _html(report):
    with current_app.test_request_context():
        return render_template(
            "reports/monthly_print.html",
            **presenter.page_context(report, show_names=True),
        )


def _write(out, text):
    if out == "-":
        sys.stdout.write(text)
        return
    Path(out).write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)


@report_group.command("signups")
@click.option("--from", "first", type=DAY, required=True, help="First day, YYYY-MM-DD")
@click.option("--to", "last", type=DAY, required=True, help="Last day, YYYY-MM-DD")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="CSV file")
@with_appcontext
def report_signups(first, last, out):
    """Write every sign-up created in the date range, with its attribution."""
    first, last = _day(first), _day(last)
    if first > last:
        raise click.BadParameter("must not be before --from", param_hint="--to")
    timezone = get_settings().timezone
    start, end = exports.date_bounds(first, last, timezone)
    with open(out, "w", encoding="utf-8", newline="") as stream:
        rows = exports.write_signups(stream, start, end, timezone)
    audit.record(
        "cli",
        "signups.exported",
        "",
        {"from": first.isoformat(), "to": last.isoformat(), "rows": rows},
    )
    click.echo(f"wrote {rows} sign-up(s) to {out}")


def _day(value):
    return value.date() if isinstance(value, datetime) else value
