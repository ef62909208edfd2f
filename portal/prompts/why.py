"""The answer to "why did they not get a prompt after their visit?".

For one member: each recent visit, its signals, and the decision taken with
its reason in plain words and the rule values that decided it.
"""

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from peewee import JOIN

from portal.i18n_marks import N_
from portal.models import (
    Location,
    Member,
    Prompt,
    SatisfactionSignal,
    ServiceLine,
    Suppression,
    Survey,
    Visit,
)
from portal.practice import get_settings
from portal.prompts.rules import NOTES, PLAIN_WORDS, to_local

RECENT = 10
# A prompt's status is shown through gettext in templates/prompts/_why.html.
STATUS_WORDS = (N_("scheduled"), N_("sent"), N_("suppressed"), N_("cancelled"))
# The rule values shown beside a decision, in this order.
RULE_FIELDS = (
    ("source", _l("Rule")),
    ("enabled", _l("Prompts on")),
    ("nps_min", _l("NPS promoter from")),
    ("csat_min", _l("CSAT promoter from")),
    ("stars_min", _l("Stars promoter from")),
    ("cooldown_days", _l("Cooldown (days)")),
    ("lifetime_limit", _l("Lifetime limit")),
    ("delay_minutes", _l("Delay after visit (minutes)")),
    ("quiet_start", _l("Quiet hours from")),
    ("quiet_end", _l("Quiet hours until")),
    ("timezone", _l("Timezone")),
)


@dataclass
class VisitStory:
    visit: Visit
    service_line: str
    location: str
    visited_local: object
    signals: list = field(default_factory=list)
    prompt: Prompt | None = None
    survey: Survey | None = None

    @property
    def reasons(self):
        """Plain words for the decision's reason and every other one it kept."""
        if self.prompt is None:
            return []
        codes = [self.prompt.reason_code] + [
            code
            for code in (self.prompt.reason_detail or "").split(",")
            if code and code != self.prompt.reason_code
        ]
        return [
            (code, PLAIN_WORDS.get(code) or NOTES.get(code, code)) for code in codes
        ]

    @property
    def rule_values(self):
        rule = (self.prompt.rule if self.prompt else None) or {}
        return [(label, rule[key]) for key, label in RULE_FIELDS if key in rule]


def find_member(text):
    """Find a member by email or external id; None when nobody matches."""
    text = (text or "").strip()
    if not text:
        return None
    if "@" in text:
        return Member.get_or_none(Member.email == text.lower())
    return Member.get_or_none(Member.external_id == text)


def member_notes(member):
    """What stands in the way of any prompt to this member right now."""
    notes = []
    if member.erased_at is not None:
        notes.append(PLAIN_WORDS["member_erased"])
    if member.prompts_opt_out:
        notes.append(PLAIN_WORDS["member_opted_out"])
    if not member.email:
        notes.append(PLAIN_WORDS["no_email"])
    elif Suppression.select().where(Suppression.email == member.email).exists():
        notes.append(PLAIN_WORDS["member_suppressed"])
    return notes


def _name(visit, relation):
    # A left join with no row leaves an empty related object, not None.
    related = getattr(visit, relation, None)
    return (related.name or "") if related is not None else ""


def recent_visits(member, limit=RECENT):
    """The member's latest visits, each with its signals and its decision."""
    zone = ZoneInfo(get_settings().timezone)
    rows = (
        Visit.select(Visit, ServiceLine, Location)
        .join(ServiceLine, JOIN.LEFT_OUTER)
        .switch(Visit)
        .join(Location, JOIN.LEFT_OUTER)
        .where(Visit.member == member.id)
        .order_by(Visit.visited_at.desc())
        .limit(limit)
    )
    stories = [
        VisitStory(
            visit=visit,
            service_line=_name(visit, "service_line"),
            location=_name(visit, "location"),
            visited_local=to_local(visit.visited_at, zone),
        )
        for visit in rows
    ]
    by_id = {story.visit.id: story for story in stories}
    if not by_id:
        return stories
    for prompt in Prompt.select().where(Prompt.visit.in_(list(by_id))):
        by_id[prompt.visit_id].prompt = prompt
    for survey in Survey.select().where(Survey.visit.in_(list(by_id))):
        by_id[survey.visit_id].survey = survey
    signals = SatisfactionSignal.select().where(
        SatisfactionSignal.visit.in_(list(by_id))
    )
    for signal in signals.order_by(SatisfactionSignal.recorded_at):
        by_id[signal.visit_id].signals.append(signal)
    return stories
