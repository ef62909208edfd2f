"""The built-in one-question survey: one tap, once, and never a score in the address."""

import base64
import json
import logging
import re
from datetime import datetime, timedelta

import pytest

from portal.db import utcnow
from portal.models import (
    OneTimeToken,
    OutboxMessage,
    PracticeSettings,
    Prompt,
    RecoveryAlert,
    SatisfactionSignal,
    Survey,
    Visit,
)
from portal.prompts import delivery, tokens
from portal.prompts.intake import ingest_visits
from tests.conftest import PHONE
from tests.prompt_helpers import make_practice, practice_noon, visit

LINK = re.compile(r"http://portal\.test(/survey/[^\s\"<]+)")


@pytest.fixture
def practice(app):
    return make_practice(survey=True)


def send_survey(n=1, member="EHR-0"):
    """Ingest a visit without a signal and send its survey; return the 11 paths."""
    ingest_visits([visit(n, member, None)])
    survey = Survey.get(Survey.visit == Visit.get(Visit.external_id == f"V-{n}"))
    report = delivery.run_due(survey.scheduled_for)
    assert report.surveys_sent == 1
    message = OutboxMessage.select().order_by(OutboxMessage.id.desc()).first()
    return LINK.findall(message.text_body)


def tap(client, path, agent=PHONE):
    return client.get(path, headers={"User-Agent": agent})


def test_a_visit_without_a_signal_gets_a_survey_some_hours_later(practice):
    ingest_visits([visit(1, "EHR-0", None), visit(2, "EHR-1", 9)])
    survey = Survey.get()
    assert survey.visit.external_id == "V-1"
    assert survey.scheduled_for >= survey.visit.visited_at + timedelta(hours=3)
    assert (
        delivery.run_due(survey.scheduled_for - timedelta(minutes=1)).surveys_sent == 0
    )


def test_no_survey_when_off_or_after_a_sensitive_or_flagged_visit(practice):
    ingest_visits(
        [
            visit(1, "EHR-0", None, service_line="behavioral-health"),
            visit(2, "EHR-1", None, flags={"adverse_event": True}),
            visit(3, "EHR-2", None, hours_ago=24 * 20),
        ]
    )
    PracticeSettings.update(survey_enabled=False).execute()
    ingest_visits([visit(4, "EHR-3", None)])
    assert Survey.select().count() == 0


def test_the_email_asks_one_question_with_eleven_links(practice):
    paths = send_survey()
    message = OutboxMessage.get()
    assert message.kind == "survey" and message.marketing is False
    assert message.subject == "How was your visit to Maple Grove?"
    assert "How likely are you to recommend us" in message.text_body
    assert len(paths) == 11 and len(set(paths)) == 11
    assert Survey.get().sent_at is not None
    assert OneTimeToken.select().count() == 1


def test_the_score_is_not_in_the_address_even_decoded(practice):
    for path in send_survey():
        token = path.rsplit("/", 1)[1]
        payload = token.split(".")[0]
        decoded = json.loads(
            base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        )
        assert set(decoded) == {"n", "c"}
        assert not re.search(r"(score|=\d+$)", path)


def test_tapping_ten_shows_the_share_card_at_once(client, practice):
    paths = send_survey()
    page = tap(client, paths[10])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-outcome="share"' in html and "Text a friend" in html
    assert "/qr.svg" in html and "c=email&amp;p=" in html
    signal = SatisfactionSignal.get()
    assert (signal.scale, signal.score, signal.source) == ("nps", 10, "survey")
    survey = Survey.get()
    assert survey.score == 10 and survey.answered_at is not None
    prompt = Prompt.get()
    assert (prompt.status, prompt.reason_code) == ("sent", "promoter")
    assert prompt.reason_detail == "shown_on_survey_page"
    assert prompt.opened_at is not None
    # Shown on the page, so the sweep sends no prompt email as well.
    assert delivery.run_due(practice_noon()).sent == 0
    assert OutboxMessage.select().where(OutboxMessage.kind == "prompt").count() == 0


def test_tapping_three_apologises_and_alerts_staff(client, practice):
    paths = send_survey()
    html = tap(client, paths[3]).get_data(as_text=True)
    assert 'data-outcome="sorry"' in html
    assert "We are sorry your visit fell short" in html
    assert "Text a friend" not in html
    alert = RecoveryAlert.get()
    assert alert.visit.external_id == "V-1" and alert.wants_contact is False
    assert Prompt.get().reason_code == "detractor"

    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    thanks = client.post("/survey/contact", data={"token": token})
    assert "We will be in touch" in thanks.get_data(as_text=True)
    assert RecoveryAlert.get().wants_contact is True
    assert client.post("/survey/contact", data={"token": "forged"}).status_code == 404


def test_tapping_seven_says_thank_you_and_nothing_more(client, practice):
    html = tap(client, send_survey()[7]).get_data(as_text=True)
    assert 'data-outcome="thanks"' in html and "Text a friend" not in html
    assert Prompt.get().reason_code == "below_threshold"
    assert RecoveryAlert.select().count() == 0


def test_a_promoter_whose_prompt_is_not_allowed_is_only_thanked(client, practice):
    # A prompt went out ten days ago: the cooldown holds even for a 10.
    old = Visit.create(
        external_id="OLD", member=practice.members[0], visited_at=utcnow()
    )
    Prompt.create(
        visit=old,
        member=practice.members[0],
        status="sent",
        reason_code="promoter",
        sent_at=utcnow() - timedelta(days=10),
    )
    html = tap(client, send_survey()[10]).get_data(as_text=True)
    assert 'data-outcome="thanks"' in html
    latest = Prompt.select().join(Visit).where(Visit.external_id == "V-1").get()
    assert latest.reason_code == "cooldown"


def test_a_second_tap_is_refused_politely(client, practice):
    paths = send_survey()
    tap(client, paths[9])
    for path in (paths[9], paths[2]):
        again = tap(client, path)
        assert again.status_code == 409
        assert "You have already answered" in again.get_data(as_text=True)
    assert SatisfactionSignal.select().count() == 1
    assert Survey.get().score == 9


def test_a_mail_scanner_opening_the_link_records_nothing(client, practice):
    paths = send_survey()
    scanned = tap(client, paths[0], agent="Mozilla/5.0 (compatible; Googlebot/2.1)")
    assert "Send my answer" in scanned.get_data(as_text=True)
    assert SatisfactionSignal.select().count() == 0
    confirmed = client.post(paths[0])
    assert 'data-outcome="sorry"' in confirmed.get_data(as_text=True)
    assert SatisfactionSignal.get().score == 0


def test_expired_and_forged_links(client, practice):
    paths = send_survey()
    OneTimeToken.update(expires_at=utcnow() - timedelta(minutes=1)).execute()
    expired = tap(client, paths[5])
    assert expired.status_code == 410
    assert "This survey has closed" in expired.get_data(as_text=True)
    forged = tap(client, paths[5][:-3] + "xyz")
    assert forged.status_code == 404
    assert SatisfactionSignal.select().count() == 0


def test_a_signal_arriving_first_makes_the_survey_unneeded(practice):
    ingest_visits([visit(1, "EHR-0", None)])
    survey = Survey.get()
    from portal.prompts.signals import ingest_signals

    ingest_signals(
        [
            {
                "visit_external_id": "V-1",
                "external_id": "S-1",
                "scale": "csat",
                "score": 5,
            }
        ]
    )
    assert Survey.select().count() == 0
    assert delivery.run_due(survey.scheduled_for).surveys_sent == 0


def test_the_score_never_reaches_the_logs(client, practice, caplog):
    paths = send_survey()
    token = paths[8].rsplit("/", 1)[1]
    with caplog.at_level(logging.DEBUG, logger="portal"):
        tap(client, paths[8])
    text = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith("portal")
    )
    assert token not in text and "score" not in text.lower()
    assert "route=/survey/<token>" in text


def test_survey_tokens_round_trip_and_reject_tampering(app):
    assert tokens.read_survey_token(tokens.survey_token("abc", 4)) == ("abc", 4)
    good = tokens.survey_token("abc", 4)
    with pytest.raises(tokens.TokenError):
        tokens.read_survey_token(good[:-2] + "zz")
    with pytest.raises(tokens.TokenError):
        tokens.read_share_token(good)


def test_quiet_hours_also_hold_surveys(practice):
    visited = datetime(2026, 1, 20, 0, 30)  # 19:30 EST; +3h is 22:30
    now = visited + timedelta(minutes=5)
    from portal.prompts import surveys

    row = {
        "member": practice.members[0].id,
        "service_line": practice.primary.id,
        "visited_at": visited,
        "flag_minor": False,
        "flag_adverse_event": False,
        "flag_deceased": False,
        "flag_open_complaint": False,
    }
    record = Visit.create(external_id="Q", **{k: v for k, v in row.items()})
    [when] = surveys.schedule_for([(record.id, row)], now)
    assert when == datetime(2026, 1, 20, 13, 0)
