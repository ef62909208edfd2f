"""Figures for the staff view of member-get-member."""

from datetime import UTC, timedelta

from peewee import JOIN, Case, fn

from portal.db import utcnow
from portal.models import Invitation, Member, MembershipPlan, SignUp
from portal.practice import practice_today, practice_zone


def _month_key(moment, zone):
    """The practice's calendar month (YYYY-MM) a stored UTC time falls in."""
    local = moment.replace(tzinfo=UTC).astimezone(zone)
    return f"{local.year:04d}-{local.month:02d}"


def by_month(months=12):
    """Invitations sent, opened, joined and retained past the window, per month.

    Invitations are few (a member sends at most a handful a month), so the
    last year's rows are grouped here rather than with dialect-specific SQL.
    """
    since = (utcnow() - timedelta(days=31 * months)).replace(day=1)
    zone = practice_zone()
    rows = {}
    query = (
        Invitation.select(
            Invitation.id,
            Invitation.created_at,
            Invitation.opened_at,
            Invitation.joined_at,
            fn.MAX(SignUp.retained_at).alias("retained_at"),
        )
        .join(
            SignUp, on=(SignUp.invitation == Invitation.id), join_type=JOIN.LEFT_OUTER
        )
        .where(Invitation.created_at >= since)
        .group_by(
            Invitation.id,
            Invitation.created_at,
            Invitation.opened_at,
            Invitation.joined_at,
        )
        .dicts()
    )
    for row in query:
        month = rows.setdefault(
            _month_key(row["created_at"], zone),
            {"sent": 0, "opened": 0, "joined": 0, "retained": 0},
        )
        month["sent"] += 1
        month["opened"] += row["opened_at"] is not None
        month["joined"] += row["joined_at"] is not None
        month["retained"] += row["retained_at"] is not None
    return sorted(rows.items(), reverse=True)


def retention(today=None):
    """Share of members past their window still active: referred against others."""
    today = today or practice_today()
    referred_ids = SignUp.select(SignUp.member).where(
        SignUp.kind == "membership",
        SignUp.ambassador.is_null(False),
        SignUp.member.is_null(False),
    )
    result = {}
    for label, condition in (
        ("referred", Member.id.in_(referred_ids)),
        ("other", Member.id.not_in(referred_ids)),
    ):
        members = list(
            Member.select(
                Member.membership_status,
                Member.membership_started_on,
                MembershipPlan.cancellation_window_days,
            )
            .join(MembershipPlan)
            .where(condition, Member.membership_started_on.is_null(False))
            .tuples()
        )
        past = [
            status
            for status, started, window in members
            if started + timedelta(days=window) <= today
        ]
        active = sum(1 for status in past if status == "active")
        result[label] = {
            "members": len(past),
            "active": active,
            "rate": round(100 * active / len(past)) if past else None,
        }
    return result


def top_inviters(limit=10):
    """Members by invitations sent, with how many joined."""
    joined = fn.SUM(Case(None, [(Invitation.joined_at.is_null(False), 1)], 0))
    return list(
        Invitation.select(
            Invitation.inviter,
            Member.first_name,
            Member.last_name,
            fn.COUNT(Invitation.id).alias("sent"),
            joined.alias("joined"),
        )
        .join(Member)
        .group_by(Invitation.inviter, Member.first_name, Member.last_name)
        .order_by(fn.COUNT(Invitation.id).desc(), Invitation.inviter)
        .limit(limit)
        .dicts()
    )
