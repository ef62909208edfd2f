"""Visit ingestion: 100,000 visits through POST /api/v1/visits, 1,000 per batch.

The portal side is the whole request in process (WSGI, no network): key check,
JSON, per-item validation, member and slug lookups, visits, signals, a prompt
decision for every visit with a signal, recovery alerts, surveys and the queued
delivery runs. The reference is the least any store could do: one raw sqlite3
executemany of the same visit rows per batch into the same migrated schema,
with the member ids already known. Then the same batches are delivered again
to time a repeat, which must change nothing.

    .venv/bin/python bench/ingest.py [--visits 100000] [--batch 1000]
"""

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from common import row, write

TARGET = 5000  # visits/s, prompt decisions included
MEMBERS = 20_000


def setup_environment(instance):
    # Set before the portal is imported: huey opens its queue file at import.
    os.environ["PORTAL_INSTANCE_PATH"] = str(instance)
    os.environ.pop("REDIS_URL", None)


def make_app(instance, name):
    from portal import create_app, migrations
    from portal.db import database

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{instance / name}",
            "INSTANCE_PATH": str(instance),
            "MAIL_OUTBOX_DIR": str(instance / "outbox"),
            "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrations.upgrade(database)
        database.close()
    return app


def seed(app):
    """A practice, its service lines and locations, members and an ingest key."""
    from portal.api import keys
    from portal.db import database
    from portal.models import (
        Location,
        Member,
        PracticeSettings,
        PromptRule,
        ServiceLine,
    )

    with app.app_context():
        database.connect(reuse_if_open=True)
        with database.atomic():
            PracticeSettings.create(id=1, name="Bench", survey_enabled=True)
            for n, slug in enumerate(("primary-care", "pediatrics", "womens-health")):
                ServiceLine.create(name=slug, slug=slug, position=n)
            ServiceLine.create(name="behavioral", slug="behavioral", sensitive=True)
            Location.create(name="Downtown", slug="downtown")
            Location.create(name="North", slug="north")
            PromptRule.create(service_line=None)
            rows = [
                {"email": f"m{n}@example.com", "external_id": f"EHR-{n}"}
                for n in range(MEMBERS)
            ]
            for start in range(0, len(rows), 2000):
                Member.insert_many(rows[start : start + 2000]).execute()
            key, _ = keys.create("bench", "ingest")
        database.close()
    return key


def batches(total, size, rng):
    """The visits to send, as JSON bodies, the same for a given seed."""
    from portal.db import utcnow

    now = utcnow().replace(microsecond=0)
    lines = ["primary-care", "pediatrics", "womens-health", "behavioral"]
    scores = list(range(11))
    weights = [1, 1, 1, 1, 1, 2, 3, 6, 12, 20, 30]
    bodies = []
    for start in range(0, total, size):
        visits = []
        for n in range(start, min(start + size, total)):
            when = now - timedelta(minutes=rng.randint(60, 10 * 24 * 60))
            item = {
                "external_id": f"V-{n:07d}",
                "member_external_id": f"EHR-{rng.randrange(MEMBERS)}",
                "service_line": rng.choice(lines),
                "location": rng.choice(["downtown", "north"]),
                "visited_at": when.isoformat() + "+00:00",
                "amount_cents": rng.choice([0, 7500, 12000]),
            }
            if rng.random() < 0.02:
                item["flags"] = {"minor": True}
            if rng.random() < 0.7:
                score = rng.choices(scores, weights)[0]
                item["signal"] = {"scale": "nps", "score": score}
            visits.append(item)
        bodies.append(json.dumps({"visits": visits}).encode())
    return bodies


def through_the_api(app, key, bodies):
    """POST every batch; return (seconds, CPU seconds, created, prompts decided)."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    created = decided = 0
    cpu = time.process_time()
    started = time.perf_counter()
    for body in bodies:
        answer = client.post("/api/v1/visits", data=body, headers=headers)
        if answer.status_code != 200:
            sys.exit(f"batch refused: {answer.status_code} {answer.get_data()[:300]}")
        result = answer.get_json()
        if result["rejected"]:
            sys.exit(f"items rejected: {result['rejected'][:3]}")
        created += result["created"]
        decided += result["prompts"]["scheduled"] + result["prompts"]["suppressed"]
    elapsed = time.perf_counter() - started
    return elapsed, time.process_time() - cpu, created, decided


def raw_executemany(path, bodies):
    """The reference: one executemany per batch of the same visit rows."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=wal")
    connection.execute("PRAGMA synchronous=normal")
    member_ids = {
        external_id: member_id
        for member_id, external_id in connection.execute(
            "SELECT id, external_id FROM member"
        )
    }
    line_ids = dict(connection.execute("SELECT slug, id FROM service_line"))
    place_ids = dict(connection.execute("SELECT slug, id FROM location"))
    sql = (
        "INSERT INTO visit (external_id, member_id, service_line_id, location_id,"
        " visited_at, amount_cents, flag_minor, flag_adverse_event, flag_deceased,"
        " flag_open_complaint, source, created_at) VALUES"
        " (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 'api', datetime('now'))"
    )
    started = time.perf_counter()
    for body in bodies:
        visits = json.loads(body)["visits"]
        rows = [
            (
                v["external_id"],
                member_ids[v["member_external_id"]],
                line_ids[v["service_line"]],
                place_ids[v["location"]],
                v["visited_at"][:19].replace("T", " "),
                v.get("amount_cents"),
                int(v.get("flags", {}).get("minor", False)),
            )
            for v in visits
        ]
        with connection:
            connection.executemany(sql, rows)
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    args, _ = parser.parse_known_args()

    instance = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    setup_environment(instance)
    try:
        portal_app = make_app(instance, "portal.db")
        key = seed(portal_app)
        bodies = batches(args.visits, args.batch, random.Random(args.seed))
        seconds, cpu, created, decided = through_the_api(portal_app, key, bodies)
        if created != args.visits:
            sys.exit(f"only {created} of {args.visits} visits were stored")
        repeat = bodies[: max(1, len(bodies) // 10)]
        again, _, created_again, _ = through_the_api(portal_app, key, repeat)
        if created_again:
            sys.exit("a repeated batch stored visits again")
        # The app binds one database at a time, so the reference comes after.
        seed(make_app(instance, "reference.db"))
        reference = raw_executemany(instance / "reference.db", bodies)
    finally:
        shutil.rmtree(instance, ignore_errors=True)

    rate = args.visits / seconds
    reference_rate = args.visits / reference
    repeat_rate = len(repeat) * args.batch / again
    cpu_rate = args.visits / cpu
    print(
        f"{args.visits:,} visits in {seconds:.1f} s through the API: {rate:,.0f}"
        f" visits/s with {decided:,} prompt decisions; raw executemany"
        f" {reference_rate:,.0f} visits/s; ratio {rate / reference_rate:.3f};"
        f" {cpu_rate:,.0f} visits per CPU-second"
    )
    write(
        "ingest",
        [
            row(
                "visits/s through POST /api/v1/visits vs raw executemany",
                round(rate),
                round(reference_rate),
                "visits/s",
                f">= {TARGET:,} visits/s, ratio >= 0.33",
                # The issue asks for both: the rate, and within 3x of the raw
                # insert, which only stores rows the portal must also check,
                # look up, decide on and schedule.
                rate >= TARGET and rate / reference_rate >= 1 / 3,
                f"{args.visits:,} visits in batches of {args.batch:,}, SQLite; "
                f"{decided:,} prompt decisions included",
            ),
            row(
                "visits per CPU-second in the portal process",
                round(cpu_rate),
                None,
                "visits/s",
                note="the wall figure above also counts waits for other processes",
            ),
            row(
                "visits/s for a repeated delivery (nothing changes)",
                round(repeat_rate),
                None,
                "visits/s",
            ),
        ],
        {"visits": args.visits, "batch": args.batch, "prompt_decisions": decided},
    )


if __name__ == "__main__":
    main()
