"""Labels, charts and names that turn a report dict into a page for people."""

from datetime import timedelta

from flask_babel import gettext as _

from portal.i18n import usd_whole
from portal.reports import charts, queries


def last_day(month):
    return month.shift(1).first_day().date() - timedelta(days=1)


def source_labels():
    return {
        "patient_referral": _("Patient referral"),
        "physician_referral": _("Physician referral"),
        "paid_search": _("Paid search"),
        "organic_search": _("Organic search"),
        "ai_assistant": _("AI assistant answer"),
        "social_media": _("Social media"),
        "event": _("Event"),
        "other": _("Other"),
    }


def channel_labels():
    return {
        "link": _("Link"),
        "qr": _("QR code"),
        "email": _("Email"),
        "print": _("Print card"),
        "sms": _("Text message"),
        "invitation": _("Invitation"),
        "typed": _("Typed code"),
        "not_referred": _("Not referred"),
    }


def funnel_labels():
    return {
        "clicks": _("Clicks"),
        "signups": _("Sign-ups"),
        "scheduled": _("Scheduled"),
        "seen": _("Seen"),
        "became_patient": _("Became patients"),
    }


def _label(labels, key):
    return labels.get(key, key or _("Not given"))


def _member_ids(report):
    ids = {row["member_id"] for row in report["by_ambassador"]}
    ids |= {row["member_id"] for row in report["dormant"]["members"]}
    ids |= {row["member_id"] for row in report["recognition"]["top_members"]}
    return ids


def _pairs(rows, key, labels):
    names = [_label(labels, row[key]) for row in rows]
    series = [
        (_("Sign-ups"), [row["signups"] for row in rows]),
        (_("New patients"), [row["new_patients"] for row in rows]),
    ]
    return names, series


def build_charts(report):
    sources, channels = source_labels(), channel_labels()
    result = {
        "sources": charts.bars(
            _("Sign-ups and new patients by how they heard"),
            *_pairs(report["by_source"], "source", sources),
        ),
        "channels": charts.bars(
            _("Sign-ups and new patients by referral channel"),
            *_pairs(report["by_channel"], "channel", channels),
        ),
        "service_lines": charts.bars(
            _("Referred sign-ups and new patients by service line"),
            *_pairs(report["by_service_line"], "name", {}),
        ),
    }
    steps = funnel_labels()
    result["funnel"] = charts.bars(
        _("Referral funnel"),
        list(steps.values()),
        [(_("People"), [report["funnel"][key] for key in steps])],
    )
    paying = [row for row in report["revenue"] if row["revenue_12m_cents"]]
    result["revenue"] = paying and charts.bars(
        _("Average revenue per patient over 12 months, by source"),
        [_label(sources, row["source"]) for row in paying],
        [(_("Average"), [row["average_12m_cents"] for row in paying])],
        formatter=usd_whole,
    )
    months = report["recognition"]["months"]
    given = any(row["value_cents"] for row in months)
    result["recognition"] = given and charts.bars(
        _("Recognition value approved, by month"),
        [row["month"] for row in months],
        [(_("Value"), [row["value_cents"] for row in months])],
        formatter=usd_whole,
    )
    trend = report["trend"]
    result["trend"] = charts.lines(
        _("Sign-ups and new patients, last 12 months"),
        [row["month"] for row in trend],
        [
            (_("Sign-ups"), [row["signups"] for row in trend]),
            (_("Referred sign-ups"), [row["referred_signups"] for row in trend]),
            (_("New patients"), [row["new_patients"] for row in trend]),
        ],
    )
    return result


def page_context(report, show_names):
    """What the report templates need: the report, labels, charts and names."""
    return {
        "report": report,
        "names": queries.member_names(_member_ids(report)) if show_names else {},
        "show_names": show_names,
        "charts": build_charts(report),
        "sources": source_labels(),
        "channels": channel_labels(),
        "steps": funnel_labels(),
        "money": usd_whole,
    }
