"""A small practice for the prompts tests: service lines, locations, members, a key."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from portal.api import keys
from portal.db import utcnow
from portal.models import Location, Member, PracticeSettings, PromptRule, ServiceLine


@dataclass
class Practice:
    key: str
    members: list
    primary: ServiceLine
    sensitive: ServiceLine
    location: Location


ZONE = "America/New_York"


def make_practice(members=5, survey=False):
    PracticeSettings.create(
        id=1,
        name="Maple Grove",
        postal_address="1 Main St, Raleigh, NC",
        timezone=ZONE,
        help_phone="+1 919 555 0100",
        survey_enabled=survey,
        survey_delay_hours=3,
    )
    primary = ServiceLine.create(name="Primary care", slug="primary-care")
    sensitive = ServiceLine.create(
        name="Behavioral health", slug="behavioral-health", sensitive=True
    )
    location = Location.create(name="Downtown", slug="downtown")
    PromptRule.create(service_line=None)
    people = [
        Member.create(
            email=f"member{n}@example.com",
            first_name=f"Pat{n}",
            external_id=f"EHR-{n}",
            preferred_language="es" if n == 2 else "en",
        )
        for n in range(members)
    ]
    key, _ = keys.create("ehr", "ingest")
    return Practice(key, people, primary, sensitive, location)


def practice_noon(days=1):
    """Noon on the practice's clock days from today, as naive UTC.

    Sweeps run at this time see what is due without quiet hours getting in the
    way, whatever the hour the tests themselves run.
    """
    zone = ZoneInfo(ZONE)
    today = datetime.now(zone).date() + timedelta(days=days)
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=zone)
    return noon.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def visit(n, member="EHR-0", score=10, scale="nps", hours_ago=1, **extra):
    """One visit item as a sender would post it (UTC times with an offset)."""
    when = (utcnow() - timedelta(hours=hours_ago)).replace(microsecond=0)
    item = {
        "external_id": f"V-{n}",
        "member_external_id": member,
        "service_line": "primary-care",
        "location": "downtown",
        "visited_at": when.isoformat() + "+00:00",
    }
    if score is not None:
        item["signal"] = {"scale": scale, "score": score}
    item.update(extra)
    return item


def post(client, key, path, body, signature=None):
    data = json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if signature is not None:
        headers[keys.SIGNATURE_HEADER] = signature(data)
    return client.post(f"/api/v1/{path}", data=data, headers=headers)
