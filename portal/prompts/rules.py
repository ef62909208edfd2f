"""Whether, when and why to prompt after a visit: plain values in, a decision out.

Nothing here touches Flask or the database, so every rule can be tested and
read on its own. Times are naive UTC like every stored column; the practice's
timezone is only used to place quiet hours and cooldowns on its wall clock.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.i18n_marks import N_

SCALES = {"nps": (0, 10), "csat": (1, 5), "stars": (1, 5)}
# A detractor is unhappy on any rule a manager sets; they go to service recovery.
DETRACTOR_MAX = {"nps": 6, "csat": 2, "stars": 2}
# Asking about a visit weeks ago reads as a form letter, and an imported
# history must never turn into a burst of prompts.
MAX_VISIT_AGE = timedelta(days=14)

PROMPTED = "promoter"

# Every reason code, in the order they are checked; the first one is the
# decision's reason, the others are kept with it.
REASONS = {
    "member_erased": N_("The member's data was erased."),
    "detractor": N_("Detractor score: sent to service recovery, never asked to share."),
    "rule_disabled": N_("Prompts are turned off for this service line."),
    "sensitive_service_line": N_("Sensitive service line: never prompted."),
    "service_line_not_referring": N_("This service line takes no referrals."),
    "flag_deceased": N_("The visit is flagged: patient deceased."),
    "flag_minor": N_("The visit is flagged: the patient is a minor."),
    "flag_adverse_event": N_("The visit is flagged: adverse event."),
    "flag_open_complaint": N_("The visit is flagged: open complaint."),
    "below_threshold": N_("The score is below the promoter threshold."),
    "member_opted_out": N_("The member opted out of prompts."),
    "member_suppressed": N_("The member's address is on the suppression list."),
    "no_email": N_("The member has no email address."),
    "visit_too_old": N_("The visit is too long ago to ask about."),
    "cooldown": N_("The member was prompted within the cooldown period."),
    "lifetime_limit": N_("The member reached the lifetime limit of prompts."),
}
# Notes kept with a decision beside its reason codes.
LATER_SIGNAL = "later_signal"
AT_SEND = "checked_at_send"
ON_SURVEY_PAGE = "shown_on_survey_page"
NOTES = {
    LATER_SIGNAL: N_("A later signal called off the prompt before it went out."),
    AT_SEND: N_("Checked again when it was due to go out."),
    ON_SURVEY_PAGE: N_("Shown at once on the survey page."),
}
PLAIN_WORDS = {PROMPTED: N_("Promoter score: prompt sent or scheduled."), **REASONS}
FLAGS = ("deceased", "minor", "adverse_event", "open_complaint")


@dataclass(frozen=True)
class RuleValues:
    """One service line's prompt rule (or the practice default)."""

    enabled: bool = True
    nps_min: int = 9
    csat_min: int = 5
    stars_min: int = 5
    cooldown_days: int = 90
    lifetime_limit: int = 6
    delay_minutes: int = 120
    quiet_start: str = "21:00"
    quiet_end: str = "08:00"
    source: str = "default"
    rule_id: int | None = None

    def minimum(self, scale):
        return {"nps": self.nps_min, "csat": self.csat_min, "stars": self.stars_min}[
            scale
        ]

    def snapshot(self, timezone):
        """Return the values as stored with a decision, with the timezone used."""
        return {**asdict(self), "timezone": timezone}


@dataclass(frozen=True)
class VisitFacts:
    visited_at: datetime
    scale: str
    score: int
    sensitive: bool = False
    referral_enabled: bool = True
    deceased: bool = False
    minor: bool = False
    adverse_event: bool = False
    open_complaint: bool = False


@dataclass(frozen=True)
class MemberFacts:
    has_email: bool = True
    opted_out: bool = False
    suppressed: bool = False
    erased: bool = False
    # When the member's latest scheduled or sent prompt goes (or went) out.
    last_prompt_at: datetime | None = None
    prompt_count: int = 0


@dataclass(frozen=True)
class Decision:
    reasons: tuple
    send_at: datetime | None
    recovery_alert: bool

    @property
    def prompt(self):
        return not self.reasons

    @property
    def reason(self):
        return self.reasons[0] if self.reasons else PROMPTED

    @property
    def status(self):
        return "scheduled" if self.prompt else "suppressed"


def check_score(scale, score):
    """Raise ValueError unless score is a whole number on the scale."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}")
    low, high = SCALES[scale]
    if (
        isinstance(score, bool)
        or not isinstance(score, int)
        or not low <= score <= high
    ):
        raise ValueError(f"a {scale} score is a whole number from {low} to {high}")


def is_detractor(scale, score):
    return score <= DETRACTOR_MAX[scale]


def classify(scale, score, rule):
    """Name the score: promoter, passive or detractor under this rule."""
    if is_detractor(scale, score):
        return "detractor"
    return "promoter" if score >= rule.minimum(scale) else "passive"


def decide(visit, member, rule, now, timezone):
    """Decide whether and when to prompt after one visit, and why."""
    zone = ZoneInfo(timezone)
    send_at = send_time(
        max(visit.visited_at + timedelta(minutes=rule.delay_minutes), now), rule, zone
    )
    reasons = [code for code, applies in _checks(visit, member, rule, now) if applies]
    if member.last_prompt_at is not None and send_at < cooldown_ends(
        member.last_prompt_at, rule.cooldown_days, zone
    ):
        reasons.append("cooldown")
    if member.prompt_count >= rule.lifetime_limit:
        reasons.append("lifetime_limit")
    alert = is_detractor(visit.scale, visit.score) and not member.erased
    return Decision(tuple(reasons), None if reasons else send_at, alert)


def _checks(visit, member, rule, now):
    kind = classify(visit.scale, visit.score, rule)
    return [
        ("member_erased", member.erased),
        ("detractor", kind == "detractor"),
        ("rule_disabled", not rule.enabled),
        ("sensitive_service_line", visit.sensitive),
        ("service_line_not_referring", not visit.referral_enabled),
        *((f"flag_{flag}", getattr(visit, flag)) for flag in FLAGS),
        ("below_threshold", kind == "passive"),
        ("member_opted_out", member.opted_out),
        ("member_suppressed", member.suppressed),
        ("no_email", not member.has_email),
        ("visit_too_old", now - visit.visited_at > MAX_VISIT_AGE),
    ]


def parse_clock(text):
    """Read 'HH:MM' as a time of day, or raise ValueError."""
    hours, _, minutes = (text or "").partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError("a time of day is written HH:MM, e.g. 21:00")
    return time(int(hours), int(minutes))


def to_local(moment, zone):
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)


def to_utc(local):
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def in_quiet_hours(local_time, start, end):
    """Whether a wall-clock time falls in [start, end), which may cross midnight."""
    if start == end:
        return False
    if start < end:
        return start <= local_time < end
    return local_time >= start or local_time < end


def send_time(earliest, rule, zone):
    """Return the first moment at or after earliest outside the quiet hours."""
    start, end = parse_clock(rule.quiet_start), parse_clock(rule.quiet_end)
    local = to_local(earliest, zone)
    if not in_quiet_hours(local.time(), start, end):
        return earliest
    day = local.date()
    if start > end and local.time() >= start:
        day += timedelta(days=1)
    # Built on the wall clock, so 08:00 stays 08:00 across a clock change.
    return to_utc(datetime.combine(day, end, tzinfo=zone))


def cooldown_ends(last_prompt_at, days, zone):
    """Return when the next prompt may go: the same wall-clock time, days later."""
    local = to_local(last_prompt_at, zone).replace(tzinfo=None)
    return to_utc((local + timedelta(days=days)).replace(tzinfo=zone))
