"""portal visits import: each row stored or rejected on its own, with a report."""

import pytest

from portal.cli import main
from portal.models import AuditEvent, Prompt, SatisfactionSignal, Visit
from tests.prompt_helpers import make_practice

HEADER = (
    "external_id,member_external_id,member_email,service_line,location,visited_at,"
    "amount,flag_minor,signal_scale,signal_score\n"
)
ROWS = [
    "V-1,EHR-0,,primary-care,downtown,2026-01-15T09:30:00,120.50,,nps,10",
    "V-2,,member1@example.com,primary-care,downtown,2026-01-15T10:00:00-05:00,,no,,",
    "V-3,EHR-404,,primary-care,downtown,2026-01-15T11:00:00,,,nps,9",
    "V-4,EHR-2,,primary-care,downtown,2026-01-15T11:00:00,,maybe,stars,9",
    "V-5,EHR-3,,primary-care,downtown,2026-01-15T11:00:00,,yes,csat,5",
]


@pytest.fixture
def csv_file(app, tmp_path):
    make_practice()
    path = tmp_path / "visits.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n")
    return path


def run(runner, path):
    return runner.invoke(main, ["visits", "import", str(path)], catch_exceptions=False)


def test_each_row_is_reported_and_good_rows_are_stored(runner, csv_file):
    result = run(runner, csv_file)
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert lines[0] == "line 2: stored"
    assert lines[1] == "line 3: stored"
    assert (
        lines[2] == "line 4: rejected: member: no member has this external id or email"
    )
    assert lines[3].startswith("line 5: rejected: flag_minor: ")
    assert "signal_score: " in lines[3]
    assert lines[4] == "line 6: stored"
    assert lines[5] == "5 row(s): 3 stored, 0 already there, 2 rejected"

    first = Visit.get(Visit.external_id == "V-1")
    assert first.amount_cents == 12050 and first.source == "csv"
    assert SatisfactionSignal.get(SatisfactionSignal.visit == first).source == "csv"
    assert Visit.get(Visit.external_id == "V-5").flag_minor is True
    assert Prompt.get(Prompt.visit == first).reason_code == "visit_too_old"
    assert AuditEvent.get(AuditEvent.action == "visits.imported").detail == {
        "created": 3,
        "unchanged": 0,
        "rejected": 2,
    }


def test_importing_the_same_file_again_changes_nothing(runner, csv_file):
    run(runner, csv_file)
    again = run(runner, csv_file)
    assert "line 2: already stored, left unchanged" in again.output
    assert "0 stored, 3 already there, 2 rejected" in again.output
    assert Visit.select().count() == 3 and Prompt.select().count() == 2


def test_errors_only_lists_just_the_rejected_rows(runner, csv_file):
    result = runner.invoke(main, ["visits", "import", "--errors-only", str(csv_file)])
    assert [line[:7] for line in result.output.splitlines()[:2]] == [
        "line 4:",
        "line 5:",
    ]
    assert "stored" not in result.output.splitlines()[0]


def test_a_clean_file_exits_zero(runner, csv_file):
    csv_file.write_text(HEADER + ROWS[0] + "\n")
    assert run(runner, csv_file).exit_code == 0


def test_help_lists_the_groups(runner):
    output = runner.invoke(main, ["--help"]).output
    assert "visits" in output and "prompts" in output
