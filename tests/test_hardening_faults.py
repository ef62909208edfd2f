"""Faults that last a while: a mail provider in trouble for hours, and intake raced.

The provider is the real SendGrid client against a local fake. Intake is the
real API, with the same batches delivered several times at once.
"""

import datetime
import threading

import pytest

from portal.db import database, utcnow
from portal.mail import delivery, send_email
from portal.models import (
    OutboxMessage,
    Prompt,
    RecoveryAlert,
    SatisfactionSignal,
    Visit,
)
from tests.fake_sendgrid import FakeSendGrid
from tests.prompt_helpers import make_practice, post, visit

BACKLOG = 12
# The provider's answers while it is in trouble, one sweep after another.
OUTAGE = ["429", "429", "500", "500", "hang", "drop"]


@pytest.fixture
def provider(app):
    fake = FakeSendGrid(hang_seconds=0.6).start()
    app.config.update(
        MAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY="SG.test-key",
        SENDGRID_HOST=fake.url,
        SENDGRID_TIMEOUT=0.3,
        MAIL_MAX_ATTEMPTS=8,
    )
    yield fake
    fake.stop()


def test_a_backlog_through_hours_of_provider_trouble_drains_once_in_order(
    app, provider
):
    provider.default = "429"
    messages = [
        send_email(
            f"patient{n}@example.com",
            "sign_in",
            {"link": f"http://portal.test/login/t{n}", "minutes": 15},
            kind="sign_in",
            marketing=False,
        )
        for n in range(BACKLOG)
    ]
    assert {row.status for row in OutboxMessage.select()} == {"pending"}

    clock = utcnow()
    for trouble in OUTAGE[1:]:
        # Every row is tried again each time its backoff has passed.
        provider.default = "hang" if trouble == "hang" else trouble
        clock += datetime.timedelta(hours=1)
        counts = delivery.sweep(now=clock)
        assert counts["pending"] == BACKLOG and counts["sent"] == 0
    assert {row.attempts for row in OutboxMessage.select()} == {len(OUTAGE)}

    provider.default = "202"
    counts = delivery.sweep(now=clock + datetime.timedelta(hours=2))

    assert counts["sent"] == BACKLOG
    accepted = [int(b["custom_args"]["outbox_id"]) for b in provider.accepted()]
    assert accepted == [m.id for m in messages]  # once each, oldest first
    behaviours = [r.behaviour for r in provider.received]
    assert behaviours.count("202") == BACKLOG
    assert len(provider.received) == BACKLOG * (len(OUTAGE) + 1)
    rows = list(OutboxMessage.select().order_by(OutboxMessage.id))
    assert {row.status for row in rows} == {"sent"}
    assert [row.sent_at for row in rows] == sorted(row.sent_at for row in rows)
    assert delivery.sweep(now=clock + datetime.timedelta(days=1))["sent"] == 0


def race(app, times, send):
    """Run send(client) from several threads released at the same moment."""
    database.close()
    barrier = threading.Barrier(times)
    answers, errors = [], []

    def run():
        client = app.test_client()
        try:
            barrier.wait()
            answers.append(send(client))
        except Exception as exc:  # reported below; a thread cannot fail the test
            errors.append(exc)
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    database.connect(reuse_if_open=True)
    assert errors == []
    return answers


def test_the_same_signals_delivered_at_once_make_one_signal_and_one_prompt(app):
    practice = make_practice(members=8)
    first = post(
        app.test_client(),
        practice.key,
        "visits",
        {"visits": [visit(n, f"EHR-{n}", None) for n in range(8)]},
    )
    assert first.json["created"] == 8 and Prompt.select().count() == 0
    signals = {
        "signals": [
            {
                "visit_external_id": f"V-{n}",
                "external_id": f"S-{n}",
                "scale": "nps",
                "score": 3 if n % 2 else 10,
            }
            for n in range(8)
        ]
    }

    answers = race(app, 4, lambda c: post(c, practice.key, "signals", signals))

    assert [a.status_code for a in answers] == [200] * 4
    assert sorted(a.json["created"] for a in answers) == [0, 0, 0, 8]
    assert SatisfactionSignal.select().count() == 8
    decided = {
        p.visit.external_id: p.status for p in Prompt.select(Prompt, Visit).join(Visit)
    }
    assert decided == {
        f"V-{n}": "suppressed" if n % 2 else "scheduled" for n in range(8)
    }
    assert RecoveryAlert.select().count() == 4


def test_overlapping_visit_batches_at_once_store_each_visit_once(app):
    practice = make_practice(members=6)
    items = [visit(n, f"EHR-{n % 6}", 10) for n in range(30)]
    batches = [items[0:20], items[10:30], items[5:25]]
    turn = iter(range(3))
    lock = threading.Lock()

    def send(client):
        with lock:
            batch = batches[next(turn)]
        return post(client, practice.key, "visits", {"visits": batch})

    answers = race(app, 3, send)

    assert [a.status_code for a in answers] == [200] * 3
    assert sum(a.json["created"] for a in answers) == 30
    assert Visit.select().count() == 30
    assert Prompt.select().count() == 30
    # Five promoter visits per member and a 90-day cooldown: one prompt each.
    scheduled = Prompt.select().where(Prompt.status == "scheduled")
    assert sorted(p.member_id for p in scheduled) == sorted(
        m.id for m in practice.members
    )
