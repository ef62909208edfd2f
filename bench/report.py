"""Time the monthly report against hand-written SQL for the same figures.

    python bench/report.py                     # builds instance/bench-report-1.db once
    python bench/report.py --database-url postgresql://localhost/bench

Prints the time to build the report's figures, the time to render the whole
page as a signed-in manager, and the time of one hand-written query per
figure; checks that both give the same numbers; prints the ratio and writes
bench/results/report.json. Without --database-url the data set is loaded by
bench/data.py into a SQLite file at --scale (1 by default) the first time.
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta

import data
from common import ROOT, row, write

from portal import create_app
from portal.db import database, is_sqlite
from portal.models import SignUp, StaffUser
from portal.practice import get_settings
from portal.reports import monthly
from portal.reports.period import Month, edges

BENCH_STAFF = "bench.manager@practice.example"
PAGE_BUDGET_SECONDS = 1.0


def _value(moment):
    # sqlite3 compares the stored text; PostgreSQL wants a timestamp.
    return str(moment) if is_sqlite() else moment


def run(sql, *params):
    marker = database.param
    cursor = database.execute_sql(sql.replace("?", marker), [_value(p) for p in params])
    return cursor.fetchall()


def grouped(column, start, end, referred=False):
    """Sign-ups created and new patients by one column: one UNION ALL statement."""
    extra = " AND ambassador_id IS NOT NULL" if referred else ""
    rows = run(
        f"SELECT {column}, 'created', COUNT(*) FROM sign_up"
        f" WHERE created_at >= ? AND created_at < ?{extra} GROUP BY {column}"
        f" UNION ALL SELECT {column}, 'became', COUNT(*) FROM sign_up"
        f" WHERE became_patient_at >= ? AND became_patient_at < ?{extra}"
        f" GROUP BY {column}",
        start,
        end,
        start,
        end,
    )
    result = {}
    for key, kind, count in rows:
        created, became = result.get(key, (0, 0))
        result[key] = (count, became) if kind == "created" else (created, count)
    return result


def funnel(start, end):
    (clicks,) = run(
        "SELECT COUNT(*) FROM click WHERE clicked_at >= ? AND clicked_at < ?",
        start,
        end,
    )[0]
    row = run(
        "SELECT COUNT(*),"
        " COUNT(CASE WHEN reached_status IN ('scheduled','seen','became_patient')"
        " THEN 1 END),"
        " COUNT(CASE WHEN reached_status IN ('seen','became_patient') THEN 1 END),"
        " COUNT(CASE WHEN reached_status = 'became_patient' THEN 1 END)"
        " FROM sign_up WHERE created_at >= ? AND created_at < ?"
        " AND ambassador_id IS NOT NULL",
        start,
        end,
    )[0]
    return (clicks, *row)


def trend_counts(table, column, bounds):
    """Rows per month: one statement, a ranged COUNT per month joined by UNION ALL."""
    parts = [
        f"SELECT {i}, COUNT(*) FROM {table} WHERE {column} >= ? AND {column} < ?"
        for i in range(len(bounds) - 1)
    ]
    params = [edge for pair in zip(bounds, bounds[1:], strict=False) for edge in pair]
    rows = run(" UNION ALL ".join(parts), *params)
    return [n for _, n in sorted(rows)]


def revenue(month_start, year_start, end):
    """Visit amounts of patients from sign-ups, for the month and 12 months."""
    total = (
        "(SELECT SUM(v.amount_cents) FROM visit v WHERE v.member_id = s.member_id"
        " AND v.visited_at >= ? AND v.visited_at < ?)"
    )
    rows = run(
        f"SELECT s.how_heard, SUM({total}), SUM({total}) FROM sign_up s"
        " WHERE s.member_id IS NOT NULL AND s.became_patient_at < ?"
        " GROUP BY s.how_heard",
        month_start,
        end,
        year_start,
        end,
        end,
    )
    month = {source: int(cents) for source, cents, _ in rows if cents}
    year = {source: int(cents) for source, _, cents in rows if cents}
    return month, year


def dormant(end):
    rows = run(
        "SELECT COUNT(*) FROM (SELECT ambassador_id FROM sign_up"
        " WHERE ambassador_id IS NOT NULL AND created_at < ?"
        " AND ambassador_id NOT IN"
        " (SELECT id FROM member WHERE erased_at IS NOT NULL)"
        " GROUP BY ambassador_id HAVING MAX(created_at) < ?) AS d",
        end,
        end - timedelta(days=90),
    )
    return rows[0][0]


def hand_written(month, timezone):
    """Every figure the check compares, each from one hand-written query."""
    start, end = month.bounds(timezone)
    months = month.trailing(12)
    bounds = edges(months, timezone)
    return {
        "sources": grouped("how_heard", start, end),
        "channels": grouped("channel", start, end),
        "ambassadors": grouped("ambassador_id", start, end, referred=True),
        "service_lines": grouped("service_line_id", start, end, referred=True),
        "locations": grouped("location_id", start, end, referred=True),
        "funnel": funnel(start, end),
        "clicks": trend_counts("click", "clicked_at", bounds),
        "signups": trend_counts("sign_up", "created_at", bounds),
        "patients": trend_counts("sign_up", "became_patient_at", bounds),
        "revenue": revenue(start, bounds[0], end),
        "dormant": dormant(end),
    }


def _pairs(rows, key):
    return {row[key]: (row["signups"], row["new_patients"]) for row in rows}


def _cents(rows, key):
    return {row["source"]: row[key] for row in rows if row[key]}


def check(report, raw):
    """Stop if the report and the hand-written queries disagree on any figure."""
    trend = report["trend"]
    ambassadors = _pairs(report["by_ambassador"], "member_id")
    sources = _pairs(report["by_source"], "source")
    comparisons = [
        ("sources", sources, {k: raw["sources"].get(k, (0, 0)) for k in sources}),
        ("channels", _pairs(report["by_channel"], "channel"), raw["channels"]),
        ("ambassadors", ambassadors, {k: raw["ambassadors"][k] for k in ambassadors}),
        (
            "service lines",
            _pairs(report["by_service_line"], "id"),
            raw["service_lines"],
        ),
        ("locations", _pairs(report["by_location"], "id"), raw["locations"]),
        ("funnel", tuple(report["funnel"].values()), raw["funnel"]),
        ("clicks", [row["clicks"] for row in trend], raw["clicks"]),
        ("sign-ups", [row["signups"] for row in trend], raw["signups"]),
        ("new patients", [row["new_patients"] for row in trend], raw["patients"]),
        ("revenue", _cents(report["revenue"], "revenue_cents"), raw["revenue"][0]),
        (
            "12-month revenue",
            _cents(report["revenue"], "revenue_12m_cents"),
            raw["revenue"][1],
        ),
        ("dormant", report["dormant"]["count"], raw["dormant"]),
    ]
    for name, ours, theirs in comparisons:
        if name == "channels":
            theirs = {k or "not_referred": v for k, v in theirs.items()}
        if ours != theirs:
            sys.exit(f"MISMATCH in {name}: report {ours!r} != hand-written {theirs!r}")


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return result, times


def page_timer(app, month):
    staff = StaffUser.get(StaffUser.email == BENCH_STAFF)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"s:{staff.id}:{staff.session_version}"

    def render():
        response = client.get(f"/reports/monthly?month={month}")
        assert response.status_code == 200, response.status_code
        return len(response.data)

    return render


def describe(label, times):
    best, median = min(times) * 1000, statistics.median(times) * 1000
    return f"{label:<34} best {best:8.1f} ms   median {median:8.1f} ms"


def data_set(scale):
    """The SQLite benchmark file for this scale, loaded the first time."""
    path = ROOT / "instance" / f"bench-report-{scale:g}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        data.main(["--database-url", url, "--scale", str(scale)])
    return url


def report_month(month_text, timezone):
    if month_text:
        return Month.parse(month_text)
    newest = SignUp.select(SignUp.created_at).order_by(SignUp.created_at.desc())
    return Month.containing(newest.first().created_at, timezone).shift(-1)


def measure(app, month_text, repeat):
    """Time the three ways of getting the figures; stop if they disagree."""
    timezone = get_settings().timezone
    month = report_month(month_text, timezone)
    print(f"monthly report for {month} ({timezone}), {repeat} runs each")
    report, build = timed(lambda: monthly.build(month, timezone), repeat)
    raw, reference = timed(lambda: hand_written(month, timezone), repeat)
    check(report, raw)
    _, page = timed(page_timer(app, month), repeat)
    print(describe("report figures (portal queries)", build))
    print(describe("hand-written single queries", reference))
    print(describe("whole page as a manager (HTML)", page))
    medians = [statistics.median(times) for times in (build, reference, page)]
    print(f"ratio report / hand-written: {medians[0] / medians[1]:.2f}", end="")
    print("   figures match: yes")
    return month, medians


def record(month, medians, url, scale):
    build, reference, page = (round(m * 1000, 1) for m in medians)
    backend = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    write(
        "report",
        [
            row(
                "monthly report page, signed in (HTML with charts)",
                page,
                None,
                "ms",
                f"< {PAGE_BUDGET_SECONDS * 1000:.0f} ms",
                page < PAGE_BUDGET_SECONDS * 1000,
                f"{backend}, scale {scale:g}, month {month}",
            ),
            row(
                "report figures vs one hand-written query per figure",
                build,
                reference,
                "ms",
                "within 2x",
                build <= 2 * reference,
                note="both give the same figures (checked)",
            ),
        ],
        {"month": str(month), "database": backend, "scale": scale},
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a SQLite file it loads")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--month", help="YYYY-MM; default: the last full month")
    parser.add_argument("--repeat", type=int, default=5)
    args, _ = parser.parse_known_args(argv)
    url = args.database_url or data_set(args.scale)
    with tempfile.TemporaryDirectory() as instance:
        config = {"DATABASE_URL": url, "INSTANCE_PATH": instance, "TESTING": True}
        app = create_app(config)
        with app.app_context():
            database.connect(reuse_if_open=True)
            month, medians = measure(app, args.month, args.repeat)
    record(month, medians, url, args.scale)


if __name__ == "__main__":
    main()
