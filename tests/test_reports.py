"""The monthly report: its figures equal the rows, counted again in plain Python."""

import importlib
import random
from datetime import datetime, timedelta

import pytest

from portal import demo
from portal.db import database, utcnow
from portal.models import (
    CatalogItem,
    Member,
    PolicyVersion,
    Recognition,
    SignUp,
    Visit,
)
from portal.models.referrals import HOW_HEARD
from portal.practice import get_settings
from portal.reports import monthly, queries
from portal.reports.period import Month
from portal.staff.signups import change_status
from tests.attribution_helpers import move
from tests.attribution_helpers import signup as referred_signup
from tests.report_expectations import Expected


def enrich(seed=11):
    """Give the demo what it lacks for revenue and caps: patients with visits."""
    rng = random.Random(seed)
    now = utcnow()
    became = SignUp.select().where(SignUp.status == "became_patient")
    for signup in became.order_by(SignUp.id):
        if signup.id % 3 == 0:
            continue  # some patients are not linked to a member yet
        member = Member.create(
            email=f"patient{signup.id}@example.org", first_name="New", last_name="Pt"
        )
        SignUp.update(member=member).where(SignUp.id == signup.id).execute()
        for n in range(rng.randint(1, 4)):
            Visit.create(
                external_id=f"P{signup.id}-{n}",
                member=member,
                visited_at=now - timedelta(days=rng.randint(1, 420)),
                amount_cents=rng.choice([None, 0, 9000, 15000, 22500]),
            )
    _recognitions(rng, now)
    ambassador = SignUp.select().where(SignUp.ambassador.is_null(False)).first()
    Member.update(erased_at=now).where(Member.id == ambassador.ambassador_id).execute()


def _recognitions(rng, now):
    if not PolicyVersion.select().where(PolicyVersion.status == "active").exists():
        rules = {"annual_cap_cents": 7500, "per_item_cap_cents": 1500}
        PolicyVersion.create(number=99, rules=rules, status="active")
    item = CatalogItem.create(
        name="Bottle", kind="branded_item", retail_value_cents=1200
    )
    members = [m.id for m in Member.select(Member.id).order_by(Member.id).limit(12)]
    for n, member_id in enumerate(members):
        for k in range(1 + n % 7):
            decided = now - timedelta(days=rng.randint(0, 360))
            Recognition.create(
                member=member_id,
                item=item,
                value_cents=1200,
                trigger="referred_signup",
                status=rng.choice(["approved", "fulfilled", "proposed", "denied"]),
                year=decided.year,
                decided_at=decided,
                checks=[k],
            )


@pytest.fixture
def loaded(app):
    demo.load(echo=lambda *_: None)
    enrich()
    timezone = get_settings().timezone
    month = Month.containing(utcnow(), timezone).shift(-1)
    return month, timezone


def by_key(rows, key):
    return {row[key]: (row["signups"], row["new_patients"]) for row in rows}


def test_counts_by_source_channel_ambassador_line_and_location(loaded):
    month, timezone = loaded
    report = monthly.build(month, timezone)
    expected = Expected(month.year, month.month, timezone)

    sources = expected.counts(lambda s: s.how_heard)
    assert by_key(report["by_source"], "source") == {
        h: sources.get(h, (0, 0)) for h in HOW_HEARD
    }
    channels = expected.counts(lambda s: s.channel or "not_referred")
    assert by_key(report["by_channel"], "channel") == channels
    ambassadors = expected.counts(lambda s: s.ambassador_id, referred_only=True)
    top = sorted(ambassadors.items(), key=lambda i: (-i[1][1], -i[1][0], i[0]))[:20]
    assert [
        (r["member_id"], (r["signups"], r["new_patients"]))
        for r in report["by_ambassador"]
    ] == top
    lines = expected.counts(lambda s: s.service_line_id, referred_only=True)
    assert by_key(report["by_service_line"], "id") == lines
    places = expected.counts(lambda s: s.location_id, referred_only=True)
    assert by_key(report["by_location"], "id") == places
    totals = report["totals"]
    assert (totals["signups"], totals["new_patients"]) == tuple(
        map(sum, zip(*sources.values(), strict=True))
    )
    referred = expected.counts(lambda s: "all", referred_only=True)["all"]
    assert (totals["referred_signups"], totals["referred_new_patients"]) == referred
    assert totals["signups"] > 0 and referred[0] > 0


def test_funnel_trend_and_dormant_ambassadors(loaded):
    month, timezone = loaded
    report = monthly.build(month, timezone)
    expected = Expected(month.year, month.month, timezone)

    assert report["funnel"] == expected.funnel()
    assert report["funnel"]["clicks"] > 0
    assert report["trend"] == expected.trend()
    dormant = expected.dormant()
    assert report["dormant"]["count"] == len(dormant) > 0
    shown = report["dormant"]["members"]
    assert {row["member_id"] for row in shown} <= dormant
    assert len(shown) == min(25, len(dormant))
    referrals = [row["referrals"] for row in shown]
    assert referrals == sorted(referrals, reverse=True)


def test_a_sign_up_seen_and_then_closed_stays_in_the_funnel(app):
    ambassador = Member.create(email="ana@example.com", first_name="Ana")
    when = datetime(2026, 5, 10, 15, 0)
    walked = [
        ("new", "contacted", "scheduled", "seen", "closed"),
        ("new", "scheduled", "closed"),
        ("new", "closed"),
        ("new", "contacted", "scheduled", "seen", "became_patient"),
    ]
    for n, path in enumerate(walked):
        row = referred_signup(ambassador, when=when, email=f"friend{n}@example.net")
        for status in path[1:]:
            move(row, status, when)
    stored = {row.id: (row.status, row.reached_status) for row in SignUp.select()}
    assert sorted(stored.values()) == [
        ("became_patient", "became_patient"),
        ("closed", "new"),
        ("closed", "scheduled"),
        ("closed", "seen"),
    ]
    funnel = queries.funnel(datetime(2026, 5, 1), datetime(2026, 6, 1))
    assert funnel == {
        "clicks": 0,
        "signups": 4,
        "scheduled": 3,
        "seen": 2,
        "became_patient": 1,
    }


def test_upgrading_takes_the_furthest_step_from_the_audit_log(app):
    ambassador = Member.create(email="ana@example.com", first_name="Ana")
    rows = [
        referred_signup(ambassador, email=f"friend{n}@example.net") for n in range(3)
    ]
    for status in ("scheduled", "seen", "closed"):
        change_status(rows[0].id, status, "staff:1")
    change_status(rows[1].id, "contacted", "staff:1")
    change_status(rows[2].id, "closed", "staff:1")
    # As a database from before the column: every sign-up at "new".
    SignUp.update(reached_status="new").execute()

    importlib.import_module("portal.migrations.0003_signup_reached_status").backfill(
        database
    )

    reached = [SignUp.get_by_id(row.id).reached_status for row in rows]
    assert reached == ["seen", "contacted", "new"]


def test_revenue_and_average_per_patient_by_source(loaded):
    month, timezone = loaded
    report = monthly.build(month, timezone)
    patients, month_cents, twelve = Expected(
        month.year, month.month, timezone
    ).revenue()

    rows = {row["source"]: row for row in report["revenue"]}
    assert sum(patients.values()) > 0 and sum(twelve.values()) > 0
    for source, row in rows.items():
        assert row["patients"] == patients.get(source, 0)
        assert row["revenue_cents"] == month_cents.get(source, 0)
        assert row["revenue_12m_cents"] == twelve.get(source, 0)
        count = patients.get(source, 0)
        average = round(twelve.get(source, 0) / count) if count else None
        assert row["average_12m_cents"] == average


def test_recognition_against_the_caps(loaded):
    month, timezone = loaded
    report = monthly.build(month, timezone)["recognition"]
    expected = Expected(month.year, month.month, timezone)
    per_month, ytd = expected.recognition()

    assert [(r["value_cents"], r["count"]) for r in report["months"]] == [
        tuple(per_month.get(m, (0, 0))) for m in expected.months
    ]
    assert report["year_to_date_cents"] == sum(ytd.values())
    assert report["members_recognised"] == len(ytd)
    rules = PolicyVersion.get(PolicyVersion.status == "active").rules
    cap = rules["annual_cap_cents"]
    assert report["caps"]["annual_cents"] == cap
    assert report["members_over_cap"] == sum(1 for v in ytd.values() if v > cap)
    assert report["members_near_cap"] == sum(
        1 for v in ytd.values() if 0.8 * cap <= v <= cap
    )
    assert [m["cents"] for m in report["top_members"]] == sorted(
        ytd.values(), reverse=True
    )[:10]


def test_months_follow_the_practice_timezone(app):
    from tests.attribution_helpers import at, signup

    signup(None, when=at("2026-03-01 03:00"))  # 22:00 on 28 February in New York
    signup(None, when=at("2026-03-01 05:30"))  # 00:30 on 1 March
    february = monthly.build(Month(2026, 2), "America/New_York")
    march = monthly.build(Month(2026, 3), "America/New_York")
    utc_march = monthly.build(Month(2026, 3), "UTC")
    assert february["totals"]["signups"] == 1
    assert march["totals"]["signups"] == 1
    assert utc_march["totals"]["signups"] == 2
    assert march["range_utc"] == ["2026-03-01T05:00:00Z", "2026-04-01T04:00:00Z"]


def test_an_empty_practice_reports_zeros_without_a_policy(app):
    report = monthly.build(Month(2026, 1), "America/New_York")
    assert report["totals"] == {
        "signups": 0,
        "new_patients": 0,
        "referred_signups": 0,
        "referred_new_patients": 0,
    }
    assert report["recognition"]["caps"] is None
    assert all(row["average_12m_cents"] is None for row in report["revenue"])
    assert report["dormant"] == {"count": 0, "members": [], "days": 90}
