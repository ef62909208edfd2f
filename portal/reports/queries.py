"""The report's figures, each an SQL aggregate over indexed columns.

Times are the naive UTC bounds from ``period``; the database groups and
counts, and Python only arranges the few aggregated rows that come back.
Nothing here imports Flask, so the benchmark and the CLI use it as is.
"""

from datetime import timedelta

from peewee import SQL, Case, fn

from portal.models import (
    Click,
    Location,
    Member,
    PolicyVersion,
    Recognition,
    ServiceLine,
    SignUp,
    Visit,
)

# A sign-up "reached" a stage when its status is that stage or a later one.
REACHED = {
    "scheduled": ("scheduled", "seen", "became_patient"),
    "seen": ("seen", "became_patient"),
    "became_patient": ("became_patient",),
}
RECOGNISED = ("approved", "fulfilled")
DORMANT_AFTER = timedelta(days=90)


def _within(field, start, end):
    return (field >= start) & (field < end)


def _count_if(condition):
    # Literal 1, not a parameter: PostgreSQL cannot type a bare parameter here.
    return fn.COUNT(Case(None, [(condition, SQL("1"))]))


def _grouped(column, when, start, end, referred_only):
    query = (
        SignUp.select(column.alias("key"), fn.COUNT(SignUp.id).alias("n"))
        .where(_within(when, start, end))
        .group_by(column)
    )
    if referred_only:
        query = query.where(SignUp.ambassador.is_null(False))
    return {row["key"]: row["n"] for row in query.dicts()}


def by_dimension(column, start, end, referred_only=False):
    """Sign-ups created and new patients in the range, grouped by one column.

    Two GROUP BYs rather than one with an OR: the first is answered from the
    report index on created_at alone, the second from became_patient_at.
    """
    created = _grouped(column, SignUp.created_at, start, end, referred_only)
    became = _grouped(column, SignUp.became_patient_at, start, end, referred_only)
    return {
        key: {"signups": created.get(key, 0), "new_patients": became.get(key, 0)}
        for key in created.keys() | became.keys()
    }


def _counted(column, when, start, end, created):
    """One half of a union: per key, sign-ups created or patients, and a zero."""
    count = fn.COUNT(SignUp.id)
    zero = SQL("0")
    return (
        SignUp.select(
            column.alias("key"),
            (count if created else zero).alias("signups"),
            (zero if created else count).alias("new_patients"),
        )
        .where(_within(when, start, end), SignUp.ambassador.is_null(False))
        .group_by(column)
    )


def top_referrers(start, end, limit):
    """The ambassadors with the most new patients (then sign-ups) in the range.

    Both halves are summed and ranked in the database, so a month with
    thousands of ambassadors returns only the ``limit`` rows shown.
    """
    halves = (
        _counted(SignUp.ambassador, SignUp.created_at, start, end, True)
        + _counted(SignUp.ambassador, SignUp.became_patient_at, start, end, False)
    ).alias("halves")
    signups = fn.SUM(halves.c.signups)
    patients = fn.SUM(halves.c.new_patients)
    query = (
        SignUp.select(
            halves.c.key.alias("member_id"),
            signups.alias("signups"),
            patients.alias("new_patients"),
        )
        .from_(halves)
        .group_by(halves.c.key)
        .order_by(patients.desc(), signups.desc(), halves.c.key)
        .limit(limit)
    )
    return [
        {
            "member_id": row["member_id"],
            "signups": int(row["signups"]),
            "new_patients": int(row["new_patients"]),
        }
        for row in query.dicts()
    ]


def funnel(start, end):
    """Referral clicks, then the month's referred sign-ups and how far they got.

    A sign-up counts at the furthest step it ever reached, so one seen and
    later closed still counts as scheduled and seen.
    """
    clicks = Click.select().where(_within(Click.clicked_at, start, end)).count()
    stages = {
        stage: _count_if(SignUp.reached_status.in_(statuses)).alias(stage)
        for stage, statuses in REACHED.items()
    }
    row = (
        SignUp.select(fn.COUNT(SignUp.id).alias("signups"), *stages.values())
        .where(_within(SignUp.created_at, start, end), SignUp.ambassador.is_null(False))
        .dicts()
        .get()
    )
    return {"clicks": clicks, **{key: row[key] or 0 for key in row}}


def _per_month(model, when, edges, referred=None):
    """Rows per month (and how many were referred): one ranged COUNT a month.

    Twelve index range counts beat one CASE over a year of rows by far.
    """
    totals, referrals = [], []
    for start, end in zip(edges, edges[1:], strict=False):
        counts = [fn.COUNT(SQL("*")).alias("n")]
        if referred is not None:
            counts.append(fn.COUNT(referred).alias("referred"))
        row = model.select(*counts).where(_within(when, start, end)).dicts().get()
        totals.append(row["n"])
        referrals.append(row.get("referred", 0))
    return totals, referrals


def trend(edges):
    """Per month: clicks, sign-ups and new patients (all and referred)."""
    clicks, _ = _per_month(Click, Click.clicked_at, edges)
    signups, referred = _per_month(SignUp, SignUp.created_at, edges, SignUp.ambassador)
    patients, referred_patients = _per_month(
        SignUp, SignUp.became_patient_at, edges, SignUp.ambassador
    )
    return {
        "clicks": clicks,
        "signups": signups,
        "referred_signups": referred,
        "new_patients": patients,
        "referred_new_patients": referred_patients,
    }


def _visit_cents(start, end):
    """The visit amounts of the sign-up's member in the range (a correlated sum)."""
    return Visit.select(fn.SUM(Visit.amount_cents)).where(
        Visit.member == SignUp.member,
        Visit.visited_at >= start,
        Visit.visited_at < end,
    )


def revenue_by_source(year_start, start, end):
    """Patients who came through a sign-up before end, by how they heard, with
    their visit amounts in the month and in the 12 months to end.

    Driven from the sign-ups (thousands) into each member's visits through the
    (member, visited_at, amount_cents) index, not from every visit of the year.
    """
    query = (
        SignUp.select(
            SignUp.how_heard,
            fn.COUNT(SignUp.id).alias("patients"),
            fn.SUM(_visit_cents(start, end)).alias("month_cents"),
            fn.SUM(_visit_cents(year_start, end)).alias("year_cents"),
        )
        .where(
            SignUp.member.is_null(False),
            SignUp.became_patient_at.is_null(False),
            SignUp.became_patient_at < end,
        )
        .group_by(SignUp.how_heard)
    )
    return {
        row["how_heard"]: {
            "patients": row["patients"],
            "month_cents": int(row["month_cents"] or 0),
            "year_cents": int(row["year_cents"] or 0),
        }
        for row in query.dicts()
    }


def active_policy_rules():
    """The rules of the active policy version, or None when there is none."""
    version = (
        PolicyVersion.select()
        .where(PolicyVersion.status == "active")
        .order_by(PolicyVersion.number.desc())
        .first()
    )
    return (version.number, version.rules or {}) if version else (None, None)


def _bucket(field, edges):
    """A CASE that numbers the month (0..n-1) a time falls in."""
    return Case(None, [(field < edge, SQL(str(i))) for i, edge in enumerate(edges[1:])])


def recognition_by_month(edges):
    """Approved recognition value and count per month (a small table)."""
    months = len(edges) - 1
    values, counts = [0] * months, [0] * months
    query = (
        Recognition.select(
            _bucket(Recognition.decided_at, edges).alias("bucket"),
            fn.SUM(Recognition.value_cents).alias("cents"),
            fn.COUNT(Recognition.id).alias("n"),
        )
        .where(
            Recognition.status.in_(RECOGNISED),
            _within(Recognition.decided_at, edges[0], edges[-1]),
        )
        .group_by(SQL("1"))
    )
    for row in query.dicts():
        values[int(row["bucket"])] = int(row["cents"] or 0)
        counts[int(row["bucket"])] = row["n"]
    return values, counts


def recognition_year_to_date(year, end):
    """Each recognised member's approved value in the cap year, up to end."""
    total = fn.SUM(Recognition.value_cents)
    query = (
        Recognition.select(
            Recognition.member,
            Member.payer_category,
            total.alias("cents"),
        )
        .join(Member)
        .where(
            Recognition.status.in_(RECOGNISED),
            Recognition.year == year,
            Recognition.decided_at < end,
        )
        .group_by(Recognition.member, Member.payer_category)
        .order_by(total.desc(), Recognition.member)
    )
    return [
        {
            "member_id": row["member"],
            "payer": row["payer_category"],
            "cents": int(row["cents"] or 0),
        }
        for row in query.dicts()
    ]


def dormant_ambassadors(end, limit=25):
    """Members with referred sign-ups before, but none in the 90 days to end.

    Returns (how many there are, the first ``limit`` by referrals); a window
    count gives the total in the same pass over the (ambassador, created_at)
    index.
    """
    last = fn.MAX(SignUp.created_at)
    referrals = fn.COUNT(SignUp.id)
    erased = Member.select(Member.id).where(Member.erased_at.is_null(False))
    query = (
        SignUp.select(
            SignUp.ambassador,
            referrals.alias("referrals"),
            last.alias("last_referred_at"),
            fn.COUNT(SQL("*")).over().alias("total"),
        )
        .where(
            SignUp.ambassador.is_null(False),
            SignUp.created_at < end,
            SignUp.ambassador.not_in(erased),
        )
        .group_by(SignUp.ambassador)
        .having(last < end - DORMANT_AFTER)
        .order_by(referrals.desc(), last.desc(), SignUp.ambassador)
        .limit(limit)
    )
    rows = list(query.dicts())
    members = [
        {
            "member_id": row["ambassador"],
            "referrals": row["referrals"],
            "last_referred_at": row["last_referred_at"],
        }
        for row in rows
    ]
    return (rows[0]["total"] if rows else 0), members


def member_names(member_ids):
    """Display names for the few members a staff page shows."""
    if not member_ids:
        return {}
    query = Member.select(Member.id, Member.first_name, Member.last_name).where(
        Member.id.in_(list(member_ids))
    )
    return {member.id: member.display_name for member in query}


def names_of(model):
    return {row.id: row.name for row in model.select(model.id, model.name)}


def service_line_names():
    return names_of(ServiceLine)


def location_names():
    return names_of(Location)
