"""The benchmark scripts run end to end on a small scale, and load the same data."""

import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("member", "click", "sign_up", "visit", "satisfaction_signal")


def run(*args):
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def load(path):
    url = f"sqlite:///{path}"
    return url, run("bench/data.py", "--database-url", url, "--scale", "0.002")


def fingerprint(path):
    with sqlite3.connect(path) as db:
        counts = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES]
        signups = db.execute(
            "SELECT how_heard, status, ambassador_id, created_at"
            " FROM sign_up ORDER BY id"
        ).fetchall()
        cents = db.execute("SELECT SUM(amount_cents) FROM visit").fetchone()[0]
    db.close()
    return counts, signups, cents


def test_data_is_deterministic_and_the_report_matches_hand_written_sql(tmp_path):
    url, output = load(tmp_path / "one.db")
    load(tmp_path / "two.db")

    counts, signups, cents = fingerprint(tmp_path / "one.db")
    assert counts == [100, 2000, 400, 1000, 600]
    assert (counts, signups, cents) == fingerprint(tmp_path / "two.db")
    assert "sign-ups: 400 rows" in output

    report = run("bench/report.py", "--database-url", url, "--repeat", "1")
    assert "figures match: yes" in report
    assert "ratio report / hand-written:" in report


def test_loading_twice_into_one_database_is_refused(tmp_path):
    load(tmp_path / "bench.db")
    result = subprocess.run(
        [
            sys.executable,
            "bench/data.py",
            "--database-url",
            f"sqlite:///{tmp_path}/bench.db",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "already holds data" in result.stderr
