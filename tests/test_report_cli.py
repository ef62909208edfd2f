"""portal report monthly and portal report signups."""

import csv
import json

from portal.cli import main
from portal.models import AuditEvent
from portal.reports import monthly
from portal.reports.period import Month
from tests.attribution_helpers import ambassador, at, move, signup


def invoke(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def some_march():
    member = ambassador()
    move(signup(member, when=at("2026-03-05 15:00")), "scheduled")
    signup(None, when=at("2026-03-09 15:00"), how_heard="event")
    return member


def test_monthly_json_equals_the_report(runner):
    some_march()
    result = invoke(
        runner, "report", "monthly", "--month", "2026-03", "--format", "json"
    )
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    expected = monthly.build(Month(2026, 3), "America/New_York")
    printed.pop("generated_at"), expected.pop("generated_at")
    assert printed == json.loads(json.dumps(expected))
    assert printed["funnel"]["scheduled"] == 1
    assert AuditEvent.get(AuditEvent.action == "report.exported").actor == "cli"


def test_monthly_html_and_csv_files(runner, tmp_path):
    member = some_march()
    page = tmp_path / "march.html"
    result = invoke(
        runner, "report", "monthly", "--month", "2026-03", "--out", str(page)
    )
    assert result.exit_code == 0
    html = page.read_text()
    assert html.startswith("<!doctype html>")
    assert html.count('<svg class="chart"') == 5  # no revenue, no recognition yet
    assert "No visit amounts yet from patients who joined through a sign-up." in html
    assert f"#{member.id}</span> Amb1 Assador" in html
    sheet = tmp_path / "march.csv"
    invoke(
        runner,
        "report",
        "monthly",
        "--month",
        "2026-03",
        "--format",
        "csv",
        "--out",
        str(sheet),
    )
    rows = list(csv.reader(sheet.read_text().splitlines()))
    assert ["by_source", "event", "signups", "1"] in rows
    assert ["by_ambassador", str(member.id), "signups", "1"] in rows


def test_signups_command_writes_the_range_and_audits(runner, tmp_path):
    member = some_march()
    signup(member, when=at("2026-04-01 15:00"))
    out = tmp_path / "signups.csv"
    result = invoke(
        runner,
        "report",
        "signups",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        str(out),
    )
    assert result.exit_code == 0
    assert "wrote 2 sign-up(s)" in result.output
    rows = list(csv.DictReader(out.read_text().splitlines()))
    assert [r["source"] for r in rows] == ["patient_referral", "event"]
    assert rows[0]["status"] == "scheduled"
    audit = AuditEvent.get(AuditEvent.action == "signups.exported")
    assert (audit.actor, audit.detail["rows"]) == ("cli", 2)


def test_bad_arguments_are_refused(runner, tmp_path):
    bad_month = runner.invoke(main, ["report", "monthly", "--month", "March"])
    assert bad_month.exit_code == 2 and "YYYY-MM" in bad_month.output
    backwards = runner.invoke(
        main,
        ["report", "signups", "--from", "2026-03-31", "--to", "2026-03-01"]
        + ["--out", str(tmp_path / "x.csv")],
    )
    assert backwards.exit_code == 2 and "must not be before --from" in backwards.output
    assert not (tmp_path / "x.csv").exists()
    assert AuditEvent.select().count() == 0
