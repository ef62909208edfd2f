"""Sending prompts: on time, outside quiet hours, checked again, tracked back."""

import re
import subprocess
from datetime import datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from portal import events
from portal.cli import main
from portal.db import utcnow
from portal.models import (
    AttributionEvent,
    AuditEvent,
    Click,
    Consent,
    Member,
    OutboxMessage,
    Prompt,
    ReferralLink,
    Suppression,
    Visit,
)
from portal.prompts import delivery, sharing, tasks, tokens
from portal.prompts.intake import ingest_visits
from portal.referrals import qr
from tests.conftest import PHONE, sign_in
from tests.prompt_helpers import make_practice, visit

ZBARIMG = "/usr/bin/zbarimg"


@pytest.fixture
def practice(app):
    return make_practice()


def scheduled_prompt(member="EHR-0", n=1):
    ingest_visits([visit(n, member, 10)])
    return Prompt.get(Prompt.visit == Visit.get(Visit.external_id == f"V-{n}"))


def outbox_files(app):
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def test_nothing_goes_out_before_it_is_due(practice):
    prompt = scheduled_prompt()
    report = delivery.run_due(prompt.scheduled_for - timedelta(minutes=1))
    assert report.sent == 0
    assert Prompt.get_by_id(prompt.id).status == "scheduled"
    assert OutboxMessage.select().count() == 0


def test_a_due_prompt_is_emailed_with_link_qr_and_share_buttons(app, practice):
    sent_events = []

    def receive(prompt, **extra):
        sent_events.append(prompt)

    events.prompt_sent.connect(receive, weak=False)
    try:
        prompt = scheduled_prompt()
        report = delivery.run_due(prompt.scheduled_for)
    finally:
        events.prompt_sent.disconnect(receive)

    assert report.sent == 1 and [p.id for p in sent_events] == [prompt.id]
    stored = Prompt.get_by_id(prompt.id)
    assert stored.status == "sent" and stored.sent_at == prompt.scheduled_for
    message = OutboxMessage.get()
    assert (message.kind, message.to_email) == ("prompt", "member0@example.com")
    assert message.marketing is True
    assert message.subject == "Thank you for visiting Maple Grove"
    code = ReferralLink.get(ReferralLink.member == prompt.member_id).code
    address = f"http://portal.test/r/{code}?c=email&p={prompt.id}"
    assert address in message.text_body
    assert address.replace("&", "&amp;") in message.html_body
    assert f"http://portal.test/r/{code}/qr.png?c=email&amp;p={prompt.id}" in (
        message.html_body
    )
    # The share token carries its own time, so read it back from the email.
    found = re.search(r"http://portal\.test/share/([^/\s]+)/sms", message.text_body)
    assert found and tokens.read_share_token(found.group(1)) == prompt.id
    assert f"http://portal.test/share/{found.group(1)}" in message.html_body
    # The worker wrote the email as a file, as a reader of the outbox sees it.
    [path] = outbox_files(app)
    mime = message_from_bytes(path.read_bytes())
    assert mime["To"] == "member0@example.com"
    assert "List-Unsubscribe" in mime
    feed = AttributionEvent.get(AttributionEvent.type == "prompt.sent")
    assert feed.payload["prompt_id"] == prompt.id


def test_the_email_is_written_in_the_members_language(client, practice):
    prompt = scheduled_prompt("EHR-2")
    delivery.run_due(prompt.scheduled_for)
    message = OutboxMessage.get()
    assert message.language == "es"
    assert message.subject == "Gracias por visitar Maple Grove"
    assert "Su enlace:" in message.text_body
    assert "Enviar un mensaje a un amigo" in message.html_body

    token = tokens.share_token(prompt.id)
    page = client.get(f"/share/{token}", headers={"User-Agent": PHONE})
    assert "Gracias por su visita" in page.get_data(as_text=True)
    sms = client.get(f"/share/{token}/sms", headers={"User-Agent": PHONE})
    assert "Pensé que te podría gustar Maple Grove" in unquote(sms.headers["Location"])


def test_a_second_sweep_sends_nothing_twice(practice):
    prompt = scheduled_prompt()
    assert delivery.run_due(prompt.scheduled_for).sent == 1
    assert delivery.run_due(prompt.scheduled_for + timedelta(hours=1)).sent == 0
    assert delivery.send_prompt(prompt.id, prompt.scheduled_for) is None
    assert OutboxMessage.select().count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("opt_out", "member_opted_out"),
        ("unsubscribe", "member_suppressed"),
        ("erase", "member_erased"),
    ],
)
def test_a_change_of_heart_before_sending_calls_it_off(practice, change, code):
    prompt = scheduled_prompt()
    member = Member.get_by_id(prompt.member_id)
    if change == "opt_out":
        Member.update(prompts_opt_out=True).where(Member.id == member.id).execute()
    elif change == "unsubscribe":
        Suppression.create(email=member.email)
    else:
        Member.update(erased_at=utcnow()).where(Member.id == member.id).execute()

    report = delivery.run_due(prompt.scheduled_for)

    assert (report.sent, report.cancelled) == (0, 1)
    stored = Prompt.get_by_id(prompt.id)
    assert (stored.status, stored.reason_code) == ("cancelled", code)
    assert stored.reason_detail == f"{code},checked_at_send"
    assert OutboxMessage.select().count() == 0


def test_a_late_worker_does_not_send_in_quiet_hours(practice):
    prompt = scheduled_prompt()
    # 23:30 in New York on a winter night; the prompt waits for 08:00 EST.
    late = datetime(2026, 1, 20, 4, 30)
    Prompt.update(scheduled_for=late - timedelta(hours=1)).execute()
    report = delivery.run_due(late)
    assert (report.sent, report.postponed) == (0, 1)
    assert Prompt.get_by_id(prompt.id).scheduled_for == datetime(2026, 1, 20, 13, 0)
    assert delivery.run_due(datetime(2026, 1, 20, 13, 0)).sent == 1


def test_the_share_page_records_opening_and_shares(client, practice):
    prompt = scheduled_prompt()
    delivery.run_due(prompt.scheduled_for)
    token = tokens.share_token(prompt.id)

    preview = client.get(f"/share/{token}", headers={"User-Agent": "Slackbot 1.0"})
    assert preview.status_code == 200
    assert Prompt.get_by_id(prompt.id).opened_at is None

    page = client.get(f"/share/{token}", headers={"User-Agent": PHONE})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Text a friend" in html
    code = ReferralLink.get(ReferralLink.member == prompt.member_id).code
    # The card's QR code, scanned from the member's screen, names the prompt too.
    assert f"/r/{code}/qr.svg?p={prompt.id}" in html
    card_qr = client.get(f"/r/{code}/qr.svg?p={prompt.id}").data
    assert (
        card_qr
        == qr.render(f"http://portal.test/r/{code}?c=qr&p={prompt.id}", "svg")[0]
    )
    assert f"http://portal.test/r/{code}?c=email&amp;p={prompt.id}" in html
    assert Prompt.get_by_id(prompt.id).opened_at is not None
    assert Prompt.get_by_id(prompt.id).shared_at is None

    sms = client.get(f"/share/{token}/sms", headers={"User-Agent": PHONE})
    assert sms.status_code == 302 and sms.headers["Location"].startswith("sms:")
    body = unquote(sms.headers["Location"].split("body=", 1)[1])
    assert f"/r/{code}?c=email&p={prompt.id}" in body
    assert "Maple Grove" in body
    assert Prompt.get_by_id(prompt.id).shared_at is not None

    mail = client.get(f"/share/{token}/email", headers={"User-Agent": PHONE})
    assert urlparse(mail.headers["Location"]).scheme == "mailto"
    assert client.get(f"/share/{token}/fax").status_code == 404
    assert client.get("/share/not-a-token").status_code == 404


def test_a_prompt_not_sent_has_no_share_page(client, practice):
    prompt = scheduled_prompt()
    token = tokens.share_token(prompt.id)
    assert (
        client.get(f"/share/{token}", headers={"User-Agent": PHONE}).status_code == 404
    )


def test_the_dashboard_card_stays_until_the_member_acts_or_dismisses(client, practice):
    prompt = scheduled_prompt()
    delivery.run_due(prompt.scheduled_for)
    Prompt.update(sent_at=utcnow()).execute()
    sign_in(client, f"m:{prompt.member_id}")

    page = client.get("/me/").get_data(as_text=True)
    assert 'id="prompt-card"' in page and "Thank you for your visit" in page

    token = tokens.share_token(prompt.id)
    gone = client.post(f"/share/{token}/dismiss", headers={"HX-Request": "true"})
    assert gone.status_code == 200 and gone.get_data(as_text=True) == ""
    assert Prompt.get_by_id(prompt.id).dismissed_at is not None
    assert 'id="prompt-card"' not in client.get("/me/").get_data(as_text=True)


def test_sharing_from_the_card_also_ends_it(client, practice):
    prompt = scheduled_prompt()
    delivery.run_due(prompt.scheduled_for)
    Prompt.update(sent_at=utcnow()).execute()
    sign_in(client, f"m:{prompt.member_id}")
    token = tokens.share_token(prompt.id)
    client.get(f"/share/{token}/whatsapp", headers={"User-Agent": PHONE})
    assert 'id="prompt-card"' not in client.get("/me/").get_data(as_text=True)
    other = Member.get(Member.external_id == "EHR-1")
    assert sharing.open_prompt_for(other) is None


def test_portal_prompts_run_sends_what_is_due(runner, practice):
    prompt = scheduled_prompt()
    # The command reads the real clock, so this prompt's rule has no quiet hours.
    rule = {**prompt.rule, "quiet_start": "00:00", "quiet_end": "00:00"}
    due = utcnow() - timedelta(minutes=5)
    Prompt.update(scheduled_for=due, rule=rule).execute()
    result = runner.invoke(main, ["prompts", "run"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "prompts: 1 sent" in result.output
    assert Prompt.get_by_id(prompt.id).status == "sent"


def test_due_times_are_queued_in_five_minute_slots():
    slot = tasks.slot_of
    assert slot(datetime(2026, 3, 8, 12, 0)) == datetime(2026, 3, 8, 12, 0)
    assert slot(datetime(2026, 3, 8, 12, 0, 1)) == datetime(2026, 3, 8, 12, 5)
    assert slot(datetime(2026, 3, 8, 12, 58)) == datetime(2026, 3, 8, 13, 0)


def test_prompt_addresses_carry_channel_and_reference(app, practice):
    prompt = scheduled_prompt()
    link = ReferralLink.create(member=prompt.member_id, code="ABCDEFGHJK")
    query = parse_qs(urlparse(sharing.prompt_url(link, prompt)).query)
    assert query == {"c": ["email"], sharing.PROMPT_PARAM: [str(prompt.id)]}


def test_a_member_can_ask_never_to_be_prompted_again(client, practice):
    prompt = scheduled_prompt()
    delivery.run_due(prompt.scheduled_for)
    Prompt.update(sent_at=utcnow()).execute()
    ingest_visits([visit(2, "EHR-0", 10, hours_ago=24 * 100)])
    Prompt.update(status="scheduled", reason_code="promoter").where(
        Prompt.id != prompt.id
    ).execute()
    sign_in(client, f"m:{prompt.member_id}")
    page = client.get("/me/").get_data(as_text=True)
    assert "Do not ask me after visits" in page
    assert page.count('<img class="qr"') == 1  # the card leaves it to the page

    token = tokens.share_token(prompt.id)
    done = client.post(f"/share/{token}/stop", headers={"HX-Request": "true"})
    assert "We will not ask you to share" in done.get_data(as_text=True)
    member = Member.get_by_id(prompt.member_id)
    assert member.prompts_opt_out is True
    consent = Consent.get(Consent.member == member.id)
    assert (consent.kind, consent.granted, consent.source) == (
        "prompts",
        False,
        "prompt",
    )
    other = Prompt.get(Prompt.id != prompt.id)
    assert (other.status, other.reason_code) == ("cancelled", "member_opted_out")
    assert AuditEvent.get(AuditEvent.action == "member.prompts_stopped").actor == (
        f"member:{member.id}"
    )
    assert 'id="prompt-card"' not in client.get("/me/").get_data(as_text=True)
    ingest_visits([visit(3, "EHR-0", 10)])
    latest = Prompt.select().order_by(Prompt.id.desc()).first()
    assert latest.reason_code == "member_opted_out"


def test_the_qr_image_in_the_email_names_channel_email_and_the_prompt(
    client, practice, tmp_path
):
    prompt = scheduled_prompt()
    delivery.run_due(prompt.scheduled_for)
    link = ReferralLink.get(ReferralLink.member == prompt.member_id)
    source = re.search(
        r'<img src="([^"]+/qr\.png[^"]*)"', OutboxMessage.get().html_body
    )
    image_url = source.group(1).replace("&amp;", "&")
    assert image_url == f"http://portal.test/r/{link.code}/qr.png?c=email&p={prompt.id}"
    image = client.get(image_url.removeprefix("http://portal.test"))
    assert image.status_code == 200 and image.mimetype == "image/png"
    address = f"http://portal.test/r/{link.code}?c=email&p={prompt.id}"
    assert image.data == qr.render(address, "png")[0]
    if Path(ZBARIMG).exists():
        (tmp_path / "qr.png").write_bytes(image.data)
        decoded = subprocess.run(
            [ZBARIMG, "--raw", "-q", str(tmp_path / "qr.png")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert decoded == address
    # A friend's phone scans it: the click is credited to this prompt.
    scan = client.application.test_client().get(
        address.removeprefix("http://portal.test"), headers={"User-Agent": PHONE}
    )
    assert scan.status_code == 302
    assert (Click.get().channel, Click.get().prompt_id) == ("email", str(prompt.id))
    # A printed card never names a prompt, and a malformed number is dropped.
    printed = client.get(f"/r/{link.code}/qr.png?c=print&p={prompt.id}")
    assert (
        printed.data == qr.render(f"http://portal.test/r/{link.code}?c=print", "png")[0]
    )
    junk = client.get(f"/r/{link.code}/qr.png?c=email&p=x%0A1")
    assert junk.data == qr.render(f"http://portal.test/r/{link.code}?c=email", "png")[0]
