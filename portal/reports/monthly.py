"""The monthly referral-source report as one plain, JSON-ready dict.

Every figure comes from an aggregate in ``queries``; averages are computed
here from those sums and counts, never stored or typed in.
"""

from datetime import datetime

from portal.db import utcnow
from portal.models.referrals import CHANNELS, HOW_HEARD
from portal.reports import queries
from portal.reports.period import Month, edges, to_local

TREND_MONTHS = 12
TOP_AMBASSADORS = 20
NEAR_CAP_SHARE = 0.8
NOT_REFERRED = "not_referred"


def build(month, timezone, now=None):
    """Compute the whole report for a Month in the practice's timezone."""
    start, end = month.bounds(timezone)
    months = month.trailing(TREND_MONTHS)
    month_edges = edges(months, timezone)
    by_source = queries.by_dimension(queries.SignUp.how_heard, start, end)
    trend = _trend(months, month_edges)
    report = {
        "month": str(month),
        "timezone": timezone,
        "generated_at": _stamp(now or utcnow()),
        "range_utc": [_stamp(start), _stamp(end)],
        "totals": _totals(trend),
        "by_source": _ordered(by_source, HOW_HEARD, "source"),
        "by_channel": _channels(start, end),
        "by_ambassador": _ambassadors(start, end),
        "by_service_line": _named(
            queries.SignUp.service_line, queries.service_line_names(), start, end
        ),
        "by_location": _named(
            queries.SignUp.location, queries.location_names(), start, end
        ),
        "funnel": queries.funnel(start, end),
        "revenue": _revenue(months[0].bounds(timezone)[0], start, end),
        "recognition": _recognition(month, months, month_edges, end),
        "dormant": _dormant(end, timezone),
        "trend": trend,
    }
    return report


def _stamp(moment):
    return moment.replace(microsecond=0).isoformat() + "Z"


def _ordered(grouped, known, label):
    """Every known category in its usual order, then any unexpected ones."""
    keys = list(known) + sorted(k for k in grouped if k not in known)
    empty = {"signups": 0, "new_patients": 0}
    return [{label: key, **grouped.get(key, empty)} for key in keys]


def _totals(trend):
    """The month's totals: the last month of the trend, counted the same way."""
    month = trend[-1]
    keys = ("signups", "new_patients", "referred_signups", "referred_new_patients")
    return {key: month[key] for key in keys}


def _channels(start, end):
    grouped = queries.by_dimension(queries.SignUp.channel, start, end)
    grouped[NOT_REFERRED] = grouped.pop(None, {"signups": 0, "new_patients": 0})
    rows = _ordered(grouped, CHANNELS + (NOT_REFERRED,), "channel")
    return [row for row in rows if row["signups"] or row["new_patients"]]


def _ambassadors(start, end):
    return queries.top_referrers(start, end, TOP_AMBASSADORS)


def _named(column, names, start, end):
    grouped = queries.by_dimension(column, start, end, referred_only=True)
    rows = [
        {"id": key, "name": names.get(key, "") if key else "", **counts}
        for key, counts in grouped.items()
    ]
    return sorted(rows, key=lambda row: (-row["signups"], row["name"]))


def _revenue(year_start, start, end):
    grouped = queries.revenue_by_source(year_start, start, end)
    sources = list(HOW_HEARD) + sorted(set(grouped) - set(HOW_HEARD))
    empty = {"patients": 0, "month_cents": 0, "year_cents": 0}
    rows = []
    for source in sources:
        found = grouped.get(source, empty)
        count, twelve = found["patients"], found["year_cents"]
        rows.append(
            {
                "source": source,
                "patients": count,
                "revenue_cents": found["month_cents"],
                "revenue_12m_cents": twelve,
                "average_12m_cents": round(twelve / count) if count else None,
            }
        )
    return rows


def _caps(rules):
    if not rules:
        return None
    federal = rules.get("federal_payers") or {}
    return {
        "annual_cents": rules.get("annual_cap_cents"),
        "per_item_cents": rules.get("per_item_cap_cents"),
        "federal_annual_cents": federal.get("annual_cap_cents"),
        "federal_payers": list(federal.get("payers") or []),
    }


def _cap_for(caps, payer):
    if not caps:
        return None
    if payer in caps["federal_payers"] and caps["federal_annual_cents"] is not None:
        return min(x for x in (caps["annual_cents"], caps["federal_annual_cents"]) if x)
    return caps["annual_cents"]


def _recognition(month, months, month_edges, end):
    version, rules = queries.active_policy_rules()
    caps = _caps(rules)
    values, counts = queries.recognition_by_month(month_edges)
    members = queries.recognition_year_to_date(month.year, end)
    for member in members:
        cap = _cap_for(caps, member["payer"])
        member["cap_cents"] = cap
        member["share"] = round(member["cents"] / cap, 3) if cap else None
    shares = [m["share"] for m in members if m["share"] is not None]
    return {
        "policy_version": version,
        "caps": caps,
        "year": month.year,
        "months": [
            {"month": str(m), "value_cents": v, "count": c}
            for m, v, c in zip(months, values, counts, strict=True)
        ],
        "year_to_date_cents": sum(m["cents"] for m in members),
        "members_recognised": len(members),
        "members_near_cap": sum(1 for s in shares if NEAR_CAP_SHARE <= s <= 1),
        "members_over_cap": sum(1 for s in shares if s > 1),
        "top_members": members[:10],
    }


def _dormant(end, timezone):
    total, members = queries.dormant_ambassadors(end)
    for member in members:
        last = member["last_referred_at"]
        if isinstance(last, str):
            last = datetime.fromisoformat(last)
        member["last_referred_on"] = to_local(last, timezone).date().isoformat()
        del member["last_referred_at"]
    return {"count": total, "members": members, "days": 90}


def _trend(months, month_edges):
    series = queries.trend(month_edges)
    return [
        {"month": str(m), **{key: values[i] for key, values in series.items()}}
        for i, m in enumerate(months)
    ]


def current_month(timezone, now=None):
    return Month.containing(now or utcnow(), timezone)
