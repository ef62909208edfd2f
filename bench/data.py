"""Load the benchmark data set: a year of a large practice, the same every time.

At --scale 1: 50,000 members, 1,000,000 clicks, 200,000 sign-ups, 500,000
visits and 300,000 satisfaction signals over the 12 months before --until.

    python bench/data.py --database-url sqlite:///instance/bench.db
    python bench/data.py --database-url postgresql://localhost/bench --scale 0.1

Rows go in with insert_many in big batches, one transaction per table, into
a database migrated like production (same tables, same indexes).
"""

import argparse
import random
import sys
import time
from datetime import datetime, timedelta

from portal import migrations
from portal.db import bind, database, is_sqlite
from portal.models import (
    Click,
    Location,
    Member,
    PracticeSettings,
    ReferralLink,
    SatisfactionSignal,
    ServiceLine,
    SignUp,
    StaffUser,
    Visit,
)
from portal.models.referrals import FUNNEL_STEPS, HOW_HEARD

SIZES = {
    "members": 50_000,
    "clicks": 1_000_000,
    "signups": 200_000,
    "visits": 500_000,
    "signals": 300_000,
}
# Members who joined through a sign-up: the new patients revenue is traced to.
NEW_PATIENT_SHARE = 0.4
STATUSES = ("new", "contacted", "scheduled", "seen", "closed")
CHANNELS = ("link", "link", "link", "qr", "email", "print", "sms")
AMOUNTS = (None, 0, 7500, 12000, 18000, 25000, 40000)
BENCH_STAFF = "bench.manager@practice.example"
# SQLite allows 32,766 bound values per statement.
MAX_VALUES = 30_000


def batches(model, fields, rows, label):
    """Insert rows (tuples in fields order) in big batches in one transaction."""
    # peewee also sends every field that has a default, so count them all.
    size = max(1, MAX_VALUES // len(model._meta.sorted_fields))
    started, count = time.perf_counter(), 0
    with database.atomic():
        for start in range(0, len(rows), size):
            model.insert_many(rows[start : start + size], fields=fields).execute()
            count += len(rows[start : start + size])
    print(f"  {label}: {count:,} rows in {time.perf_counter() - started:.1f}s")


def moment(rng, since, days=365):
    return since + timedelta(seconds=rng.randrange(days * 86400))


def practice():
    PracticeSettings.create(
        id=1, name="Benchmark Practice", timezone="America/New_York"
    )
    lines = [
        ServiceLine.create(name=f"Service line {n}", slug=f"line-{n}", position=n).id
        for n in range(1, 6)
    ]
    places = [Location.create(name=f"Site {n}", slug=f"site-{n}").id for n in (1, 2, 3)]
    StaffUser.create(email=BENCH_STAFF, name="Bench Manager", role="manager")
    return lines, places


def members(rng, count, since):
    fields = [Member.email, Member.first_name, Member.last_name, Member.created_at]
    rows = [
        (f"member{n}@bench.example", f"First{n}", f"Last{n}", moment(rng, since, 700))
        for n in range(1, count + 1)
    ]
    batches(Member, fields, rows, "members")
    first = Member.select(Member.id).order_by(Member.id).first().id
    ids = list(range(first, first + count))
    links = [(member_id, f"B{member_id:08d}") for member_id in ids]
    batches(ReferralLink, [ReferralLink.member, ReferralLink.code], links, "links")
    link_of = dict(ReferralLink.select(ReferralLink.member, ReferralLink.id).tuples())
    return ids, link_of


def clicks(rng, count, since, sharers, link_of):
    fields = [Click.link, Click.channel, Click.clicked_at, Click.browser_family]
    rows = [
        (
            link_of[rng.choice(sharers)],
            rng.choice(CHANNELS),
            moment(rng, since),
            "Mobile Safari",
        )
        for _ in range(count)
    ]
    batches(Click, fields, rows, "clicks")


def signups(rng, count, since, sharers, link_of, newcomers, lines, places):
    """Sign-ups; one per newcomer became a patient and names that member."""
    fields = [
        SignUp.first_name,
        SignUp.how_heard,
        SignUp.link,
        SignUp.ambassador,
        SignUp.channel,
        SignUp.attribution_method,
        SignUp.service_line,
        SignUp.location,
        SignUp.status,
        SignUp.reached_status,
        SignUp.status_changed_at,
        SignUp.member,
        SignUp.became_patient_at,
        SignUp.created_at,
    ]
    patients = set(rng.sample(range(count), k=min(len(newcomers), count)))
    newcomer = iter(newcomers)
    rows = []
    for n in range(count):
        referred = rng.random() < 0.55
        ambassador = rng.choice(sharers) if referred else None
        created = moment(rng, since)
        became = n in patients
        changed = created + timedelta(days=rng.randint(0, 20))
        status = "became_patient" if became else rng.choice(STATUSES)
        rows.append(
            (
                f"Friend{n}",
                "patient_referral" if referred else rng.choice(HOW_HEARD[1:]),
                link_of[ambassador] if referred else None,
                ambassador,
                rng.choice(CHANNELS) if referred else None,
                "link" if referred else "none",
                rng.choice(lines),
                rng.choice(places),
                status,
                # Closed sign-ups got somewhere first, some as far as seen.
                FUNNEL_STEPS[n % 4] if status == "closed" else status,
                changed,
                next(newcomer) if became else None,
                changed if became else None,
                created,
            )
        )
    batches(SignUp, fields, rows, "sign-ups")


def visits(rng, count, signal_count, since, member_ids, lines, places):
    fields = [
        Visit.external_id,
        Visit.member,
        Visit.service_line,
        Visit.location,
        Visit.visited_at,
        Visit.amount_cents,
        Visit.source,
    ]
    rows = [
        (
            f"BV{n:08d}",
            rng.choice(member_ids),
            rng.choice(lines),
            rng.choice(places),
            moment(rng, since),
            rng.choice(AMOUNTS),
            "bench",
        )
        for n in range(count)
    ]
    batches(Visit, fields, rows, "visits")
    first = Visit.select(Visit.id).order_by(Visit.id).first().id
    signal_fields = [
        SatisfactionSignal.visit,
        SatisfactionSignal.scale,
        SatisfactionSignal.score,
        SatisfactionSignal.recorded_at,
    ]
    signals = [
        (first + n, "nps", rng.randint(0, 10), rows[n][4] + timedelta(hours=3))
        for n in range(min(signal_count, count))
    ]
    batches(SatisfactionSignal, signal_fields, signals, "signals")


def load(scale, seed, until):
    rng = random.Random(seed)
    sizes = {name: max(1, int(size * scale)) for name, size in SIZES.items()}
    since = until - timedelta(days=365)
    lines, places = practice()
    member_ids, link_of = members(rng, sizes["members"], since)
    split = int(len(member_ids) * (1 - NEW_PATIENT_SHARE))
    existing, newcomers = member_ids[:split], member_ids[split:]
    sharers = rng.sample(existing, k=max(1, len(existing) // 3))
    clicks(rng, sizes["clicks"], since, sharers, link_of)
    signups(rng, sizes["signups"], since, sharers, link_of, newcomers, lines, places)
    visits(rng, sizes["visits"], sizes["signals"], since, member_ids, lines, places)
    if not is_sqlite():
        # What autovacuum does soon after a bulk load: statistics for the
        # planner and the visibility map that index-only scans rely on.
        database.execute_sql("VACUUM ANALYZE")
    return sizes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--until",
        default="2026-12-01",
        help="the data covers the 365 days before this date (YYYY-MM-DD)",
    )
    args = parser.parse_args(argv)
    bind(args.database_url)
    database.connect()
    migrations.upgrade(database)
    if SignUp.select().exists() or PracticeSettings.select().exists():
        sys.exit(
            "the database already holds data; point --database-url at an empty one"
        )
    started = time.perf_counter()
    print(f"loading scale {args.scale} into {args.database_url.split('@')[-1]}")
    sizes = load(args.scale, args.seed, datetime.fromisoformat(args.until))
    print(f"done in {time.perf_counter() - started:.0f}s: {sizes}")
    database.close()


if __name__ == "__main__":
    main()
