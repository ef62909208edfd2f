"""The prompt rules on their own: no app, no database, values in, decision out."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.prompts import rules
from portal.prompts.rules import MemberFacts, RuleValues, VisitFacts

NY = "America/New_York"
DEFAULT = RuleValues()
# A Tuesday afternoon in New York, far from any clock change (15:00 EST).
VISIT = datetime(2026, 2, 10, 20, 0)


def decide(visit=None, member=None, rule=DEFAULT, now=None, **visit_changes):
    visit = visit or VisitFacts(visited_at=VISIT, scale="nps", score=10)
    if visit_changes:
        visit = VisitFacts(**{**visit.__dict__, **visit_changes})
    return rules.decide(visit, member or MemberFacts(), rule, now or VISIT, NY)


def local(moment, zone=NY):
    return rules.to_local(moment, ZoneInfo(zone))


def test_a_promoter_is_prompted_two_hours_after_the_visit():
    decision = decide()
    assert decision.prompt and decision.status == "scheduled"
    assert decision.reason == "promoter" and decision.reasons == ()
    assert decision.send_at == VISIT + timedelta(hours=2)
    assert decision.recovery_alert is False


def test_a_signal_arriving_late_is_prompted_from_when_it_arrives():
    now = VISIT + timedelta(hours=3)
    assert decide(now=now).send_at == now


@pytest.mark.parametrize(
    ("scale", "score", "kind"),
    [
        ("nps", 10, "promoter"),
        ("nps", 9, "promoter"),
        ("nps", 8, "passive"),
        ("nps", 7, "passive"),
        ("nps", 6, "detractor"),
        ("nps", 0, "detractor"),
        ("csat", 5, "promoter"),
        ("csat", 4, "passive"),
        ("csat", 3, "passive"),
        ("csat", 2, "detractor"),
        ("stars", 5, "promoter"),
        ("stars", 4, "passive"),
        ("stars", 1, "detractor"),
    ],
)
def test_scores_are_promoter_passive_or_detractor_by_scale(scale, score, kind):
    assert rules.classify(scale, score, DEFAULT) == kind
    decision = decide(scale=scale, score=score)
    expected = {"promoter": "promoter", "passive": "below_threshold"}.get(kind, kind)
    assert decision.reason == expected
    assert decision.recovery_alert is (kind == "detractor")
    assert (decision.send_at is not None) is (kind == "promoter")


def test_a_manager_can_raise_the_threshold():
    strict = RuleValues(nps_min=10, stars_min=5)
    assert decide(score=9, rule=strict).reason == "below_threshold"
    assert decide(score=10, rule=strict).reason == "promoter"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"sensitive": True}, "sensitive_service_line"),
        ({"referral_enabled": False}, "service_line_not_referring"),
        ({"deceased": True}, "flag_deceased"),
        ({"minor": True}, "flag_minor"),
        ({"adverse_event": True}, "flag_adverse_event"),
        ({"open_complaint": True}, "flag_open_complaint"),
    ],
)
def test_visit_facts_that_block_a_prompt(change, code):
    decision = decide(**change)
    assert decision.status == "suppressed"
    assert decision.reasons == (code,) and decision.send_at is None


@pytest.mark.parametrize(
    ("member", "code"),
    [
        (MemberFacts(erased=True), "member_erased"),
        (MemberFacts(opted_out=True), "member_opted_out"),
        (MemberFacts(suppressed=True), "member_suppressed"),
        (MemberFacts(has_email=False), "no_email"),
        (MemberFacts(prompt_count=6), "lifetime_limit"),
    ],
)
def test_member_facts_that_block_a_prompt(member, code):
    decision = decide(member=member)
    assert decision.reasons == (code,)
    assert rules.PLAIN_WORDS[code] == rules.REASONS[code]


def test_a_disabled_rule_prompts_no_one():
    assert decide(rule=RuleValues(enabled=False)).reasons == ("rule_disabled",)


def test_the_lifetime_limit_counts_from_the_rule():
    assert decide(member=MemberFacts(prompt_count=2), rule=RuleValues()).prompt
    limited = RuleValues(lifetime_limit=2)
    assert decide(member=MemberFacts(prompt_count=2), rule=limited).reason == (
        "lifetime_limit"
    )


def test_a_visit_weeks_ago_is_not_asked_about():
    late = VISIT + rules.MAX_VISIT_AGE + timedelta(minutes=1)
    assert decide(now=late).reasons == ("visit_too_old",)
    assert decide(now=VISIT + rules.MAX_VISIT_AGE).prompt


def test_every_reason_is_kept_and_the_first_decides():
    decision = decide(score=2, sensitive=True, minor=True)
    assert decision.reason == "detractor"
    assert decision.reasons == ("detractor", "sensitive_service_line", "flag_minor")
    assert decision.recovery_alert is True


def test_an_erased_member_gets_no_alert_either():
    decision = decide(score=1, member=MemberFacts(erased=True))
    assert decision.reasons[:2] == ("member_erased", "detractor")
    assert decision.recovery_alert is False


def test_every_reason_code_has_plain_words():
    assert set(rules.PLAIN_WORDS) == set(rules.REASONS) | {"promoter"}
    assert not set(rules.NOTES) & set(rules.PLAIN_WORDS)
    words = {**rules.PLAIN_WORDS, **rules.NOTES}.values()
    assert all(text.endswith(".") for text in words)


@pytest.mark.parametrize(
    ("scale", "score"), [("nps", 11), ("nps", -1), ("csat", 0), ("stars", 6)]
)
def test_scores_off_the_scale_are_refused(scale, score):
    with pytest.raises(ValueError, match="whole number"):
        rules.check_score(scale, score)


def test_unknown_scales_and_non_numbers_are_refused():
    with pytest.raises(ValueError, match="scale must be"):
        rules.check_score("likert", 3)
    with pytest.raises(ValueError):
        rules.check_score("nps", True)
    rules.check_score("nps", 0)


# Quiet hours, on the practice's wall clock.


def test_an_evening_visit_waits_for_the_morning():
    evening = datetime(2026, 2, 11, 0, 30)  # 19:30 EST, so +2h is 21:30
    decision = decide(visited_at=evening, now=evening)
    assert decision.send_at == datetime(2026, 2, 11, 13, 0)  # 08:00 EST
    assert local(decision.send_at).hour == 8


def test_a_visit_after_midnight_waits_until_eight_the_same_day():
    night = datetime(2026, 2, 11, 6, 0)  # 01:00 EST
    assert decide(visited_at=night, now=night).send_at == datetime(2026, 2, 11, 13, 0)


def test_the_edges_of_quiet_hours():
    before = datetime(2026, 2, 10, 23, 59)  # 18:59 EST, +2h = 20:59: allowed
    assert decide(visited_at=before, now=before).send_at == before + timedelta(hours=2)
    at_start = datetime(2026, 2, 11, 0, 0)  # 19:00 EST, +2h = 21:00: quiet
    assert decide(visited_at=at_start, now=at_start).send_at == datetime(
        2026, 2, 11, 13, 0
    )
    at_end = datetime(2026, 2, 11, 11, 0)  # 06:00 EST, +2h = 08:00: allowed
    assert decide(visited_at=at_end, now=at_end).send_at == datetime(2026, 2, 11, 13, 0)


def test_quiet_hours_across_the_spring_clock_change():
    # Saturday 7 March 2026, 20:00 EST; clocks go forward that night.
    visit = datetime(2026, 3, 8, 1, 0)
    decision = decide(visited_at=visit, now=visit)
    # 08:00 on Sunday is EDT (UTC-4): 12:00 UTC, not 13:00.
    assert decision.send_at == datetime(2026, 3, 8, 12, 0)
    assert local(decision.send_at).hour == 8
    assert local(decision.send_at).utcoffset() == timedelta(hours=-4)


def test_quiet_hours_across_the_autumn_clock_change():
    # Saturday 31 October 2026, 20:00 EDT; clocks go back that night.
    visit = datetime(2026, 11, 1, 0, 0)
    decision = decide(visited_at=visit, now=visit)
    assert decision.send_at == datetime(2026, 11, 1, 13, 0)  # 08:00 EST
    assert local(decision.send_at).hour == 8
    assert local(decision.send_at).utcoffset() == timedelta(hours=-5)


def test_a_quiet_hours_end_inside_the_missing_hour_still_moves_forward():
    rule = RuleValues(quiet_start="22:00", quiet_end="02:30")
    visit = datetime(2026, 3, 8, 2, 0)  # 21:00 EST on 7 March, +2h is 23:00
    send_at = decide(visited_at=visit, now=visit, rule=rule).send_at
    # 02:30 does not exist on 8 March; the first real moment after is 03:30 EDT.
    assert send_at == datetime(2026, 3, 8, 7, 30)
    assert local(send_at).hour == 3 and send_at > visit + timedelta(hours=2)


def test_daytime_quiet_hours_and_none_at_all():
    lunch = RuleValues(quiet_start="12:00", quiet_end="13:00", delay_minutes=0)
    noon = datetime(2026, 2, 10, 17, 15)  # 12:15 EST
    assert decide(visited_at=noon, now=noon, rule=lunch).send_at == datetime(
        2026, 2, 10, 18, 0
    )
    never = RuleValues(quiet_start="00:00", quiet_end="00:00", delay_minutes=0)
    midnight = datetime(2026, 2, 10, 5, 0)
    assert decide(visited_at=midnight, now=midnight, rule=never).send_at == midnight


def test_quiet_hours_use_the_practice_timezone():
    visit = datetime(2026, 2, 10, 20, 0)  # 21:00 in Berlin, 12:00 in Los Angeles
    member, rule = MemberFacts(), RuleValues(delay_minutes=0)
    facts = VisitFacts(visited_at=visit, scale="nps", score=10)
    berlin = rules.decide(facts, member, rule, visit, "Europe/Berlin")
    assert berlin.send_at == datetime(2026, 2, 11, 7, 0)  # 08:00 CET
    assert rules.decide(facts, member, rule, visit, "America/Los_Angeles").send_at == (
        visit
    )


def test_clock_values_are_checked():
    assert rules.parse_clock("08:05").minute == 5
    for bad in ("8", "8:5", "", "ab:cd", "25:00"):
        with pytest.raises(ValueError):
            rules.parse_clock(bad)


# Cooldown, also on the wall clock.


def test_cooldown_blocks_a_second_prompt_inside_the_period():
    last = VISIT - timedelta(days=30)
    decision = decide(member=MemberFacts(last_prompt_at=last, prompt_count=1))
    assert decision.reasons == ("cooldown",)
    later = VISIT - timedelta(days=91)
    assert decide(member=MemberFacts(last_prompt_at=later, prompt_count=1)).prompt


def test_cooldown_across_the_spring_clock_change_keeps_the_wall_clock():
    rule = RuleValues(
        cooldown_days=14, delay_minutes=0, quiet_start="00:00", quiet_end="00:00"
    )
    last = datetime(2026, 3, 1, 13, 0)  # 08:00 EST
    member = MemberFacts(last_prompt_at=last, prompt_count=1)
    # 14 days later at 08:00 EDT is 12:00 UTC: only 13 days 23 hours elapsed.
    ends = datetime(2026, 3, 15, 12, 0)
    assert rules.cooldown_ends(last, 14, ZoneInfo(NY)) == ends
    just_before = ends - timedelta(minutes=1)
    blocked = decide(visited_at=just_before, now=just_before, member=member, rule=rule)
    assert blocked.reasons == ("cooldown",)
    allowed = decide(visited_at=ends, now=ends, member=member, rule=rule)
    assert allowed.prompt and allowed.send_at == ends


def test_cooldown_across_the_autumn_clock_change():
    last = datetime(2026, 10, 25, 12, 0)  # 08:00 EDT
    # Seven days later at 08:00 EST is 13:00 UTC: 7 days and 1 hour elapsed.
    assert rules.cooldown_ends(last, 7, ZoneInfo(NY)) == datetime(2026, 11, 1, 13, 0)


def test_a_prompt_already_scheduled_later_also_counts():
    ahead = VISIT + timedelta(days=1)
    member = MemberFacts(last_prompt_at=ahead, prompt_count=1)
    assert decide(member=member).reasons == ("cooldown",)


def test_the_snapshot_keeps_every_value_and_the_timezone():
    snapshot = RuleValues(source="service_line:pediatrics", rule_id=4).snapshot(NY)
    assert snapshot["source"] == "service_line:pediatrics" and snapshot["rule_id"] == 4
    assert snapshot["timezone"] == NY and snapshot["nps_min"] == 9
    assert snapshot["quiet_start"] == "21:00" and snapshot["cooldown_days"] == 90
