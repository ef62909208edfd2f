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


def _bucket(field, edges):
    """A CASE that numbers the month (0..n-1) a time falls in."""
    return Case(None, [(field < edge, SQL(str(i))) for i, edge in enumerate(edges[1:])])


def by_dimension(column, start, end, referred_only=False):
    """Sign-ups created and new patients in the range, grouped by one column."""
    created = _within(SignUp.created_at, start, end)
    became = _within(SignUp.became_patient_at, start, end)
    query = (
        SignUp.select(
            column.alias("key"),
            _count_if(created).alias("signups"),
            _count_if(became).alias("new_patients"),
        )
        .where(created | became)
        .group_by(column)
    )
    if referred_only:
        query = query.where(SignUp.ambassador.is_null(False))
    return {
        row["key"]: {"signups": row["signups"], "new_patients": row["new_patients"]}
        for row in query.dicts()
    }


def funnel(start, end):
    """Referral clicks, then the month's referred sign-ups and how far they got."""
    clicks = Click.select().where(_within(Click.clicked_at, start, end)).count()
    stages = {
        stage: _count_if(SignUp.status.in_(statuses)).alias(stage)
        for stage, statuses in REACHED.items()
    }
    row = (
        SignUp.select(fn.COUNT(SignUp.id).alias("signups"), *stages.values())
        .where(_within(SignUp.created_at, start, end), SignUp.ambassador.is_null(False))
        .dicts()
        .get()
    )
    return {"clicks": clicks, **{key: row[key] or 0 for key in row}}


def trend(edges):
    """Per month: clicks, sign-ups and new patients (all and referred)."""
    months = len(edges) - 1
    series = {
        key: [0] * months
        for key in (
            "clicks",
            "signups",
            "referred_signups",
            "new_patients",
            "referred_new_patients",
        )
    }
    clicks = _bucket(Click.clicked_at, edges)
    query = (
        Click.select(clicks.alias("bucket"), fn.COUNT(Click.id).alias("n"))
        .where(_within(Click.clicked_at, edges[0], edges[-1]))
        .group_by(SQL("1"))
    )
    for row in query.dicts():
        series["clicks"][int(row["bucket"])] = row["n"]
    for when, total, referred in (
        (SignUp.created_at, "signups", "referred_signups"),
        (SignUp.became_patient_at, "new_patients", "referred_new_patients"),
    ):
        query = (
            SignUp.select(
                _bucket(when, edges).alias("bucket"),
                fn.COUNT(SignUp.id).alias("n"),
                _count_if(SignUp.ambassador.is_null(False)).alias("referred"),
            )
            .where(_within(when, edges[0], edges[-1]))
            .group_by(SQL("1"))
        )
        for row in query.dicts():
            series[total][int(row["bucket"])] = row["n"]
            series[referred][int(row["bucket"])] = row["referred"]
    return series


def patients_by_source(end):
    """Patients who came through a sign-up before end, by how they heard."""
    query = (
        SignUp.select(SignUp.how_heard, fn.COUNT(SignUp.id).alias("n"))
        .where(
            SignUp.member.is_null(False),
            SignUp.became_patient_at.is_null(False),
            SignUp.became_patient_at < end,
        )
        .group_by(SignUp.how_heard)
    )
    return {row["how_heard"]: row["n"] for row in query.dicts()}


def revenue_by_source(start, end):
    """Visit amounts in the range from patients who came through a sign-up."""
    query = (
        Visit.select(
            SignUp.how_heard,
            fn.SUM(Visit.amount_cents).alias("cents"),
            fn.COUNT(fn.DISTINCT(Visit.member)).alias("patients"),
        )
        .join(SignUp, on=(SignUp.member == Visit.member))
        .where(
            _within(Visit.visited_at, start, end),
            Visit.amount_cents.is_null(False),
            SignUp.became_patient_at.is_null(False),
        )
        .group_by(SignUp.how_heard)
    )
    return {
        row["how_heard"]: {"cents": int(row["cents"] or 0), "patients": row["patients"]}
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


def recognition_by_month(edges):
    """Approved recognition value and count per month."""
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
    """Members with referred sign-ups before, but none in the 90 days to end."""
    last = fn.MAX(SignUp.created_at)
    erased = Member.select(Member.id).where(Member.erased_at.is_null(False))
    query = (
        SignUp.select(
            SignUp.ambassador,
            fn.COUNT(SignUp.id).alias("referrals"),
            last.alias("last_referred_at"),
        )
        .where(
            SignUp.ambassador.is_null(False),
            SignUp.created_at < end,
            SignUp.ambassador.not_in(erased),
        )
        .group_by(SignUp.ambassador)
        .having(last < end - DORMANT_AFTER)
    )
    total = query.count()
    rows = query.order_by(fn.COUNT(SignUp.id).desc(), last.desc(), SignUp.ambassador)
    members = [
        {
            "member_id": row["ambassador"],
            "referrals": row["referrals"],
            "last_referred_at": row["last_referred_at"],
        }
        for row in rows.limit(limit).dicts()
    ]
    return total, members


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
