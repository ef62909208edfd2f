"""A real huey worker killed with SIGKILL mid-batch, restarted, and the outbox drained.

The worker is ``huey_consumer portal.tasks.huey`` in a subprocess, on a SQLite
queue in the test's own folder and the test's database (SQLite or PostgreSQL).
The test stores the outbox rows and queues one delivery task per row, as
``send_email`` does, then kills the worker while it works through them.
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey import SqliteHuey

from portal.cli import main
from portal.db import database, utcnow
from portal.mail import compose, delivery, send_email
from portal.mail.tasks import deliver_message
from portal.models import OutboxMessage, StaffUser
from portal.tasks import huey
from tests.conftest import sign_in
from tests.fake_sendgrid import FakeSendGrid
from tests.mail_helpers import read_eml

BATCH = 60
CONSUMER = str(Path(sys.executable).parent / "huey_consumer")
FILE_NAME = re.compile(r"-(\d{8})\.eml$")
INTERRUPTED = "the attempt was interrupted"


class Worker:
    """One huey consumer process on the test's queue and database."""

    def __init__(self, tmp_path, app, **settings):
        self.log = tmp_path / "worker.log"
        self.env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        self.env.update(
            PORTAL_INSTANCE_PATH=app.instance_path,
            HUEY_SQLITE_PATH=str(tmp_path / "huey.db"),
            DATABASE_URL=app.config["DATABASE_URL"],
            MAIL_BACKEND="file",
            MAIL_OUTBOX_DIR=app.config["MAIL_OUTBOX_DIR"],
            PUBLIC_BASE_URL=app.config["PUBLIC_BASE_URL"],
            LOG_LEVEL="WARNING",
        )
        self.env.update(settings)
        self.queue = SqliteHuey("portal", filename=self.env["HUEY_SQLITE_PATH"])
        self.process = None

    def enqueue(self, message_ids):
        """Queue a delivery task per row, the message send_email's enqueue writes."""
        for message_id in message_ids:
            task = deliver_message.s(message_id)
            self.queue.storage.enqueue(huey.serialize_task(task), task.priority)

    def queued(self):
        """The outbox rows whose delivery task still waits in the queue."""
        tasks = [huey.deserialize_task(d) for d in self.queue.storage.enqueued_items()]
        return {t.args[0] for t in tasks if t.name.endswith("deliver_message")}

    def start(self):
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [CONSUMER, "portal.tasks.huey", "-w", "1", "-k", "thread"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        assert self.process.returncode == -signal.SIGKILL

    def stop(self):
        if self.process and self.process.poll() is None:
            # SIGINT lets a task in hand finish; SIGTERM would cut it short.
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(tmp_path, app):
    started = []

    def make(**settings):
        started.append(Worker(tmp_path, app, **settings))
        return started[-1]

    yield make
    for worker in started:
        worker.stop()


def wait_until(condition, worker, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited: {worker.log.read_text()[-2000:]}")
        time.sleep(0.01)
    pytest.fail(f"timed out; worker log: {worker.log.read_text()[-2000:]}")


def store_batch(monkeypatch, count=BATCH):
    """Store rows as send_email does, keeping their delivery for the real worker."""
    monkeypatch.setattr(compose, "enqueue", lambda message_id: None)
    rows = [
        send_email(
            f"patient{n}@example.com",
            "sign_in",
            {"link": f"http://portal.test/login/token{n}", "minutes": 15},
            kind="sign_in",
            marketing=False,
        )
        for n in range(count)
    ]
    database.close()  # the worker writes these rows; hold no connection open
    return [row.id for row in rows]


def statuses():
    database.connect(reuse_if_open=True)
    counts = {}
    for row in OutboxMessage.select(OutboxMessage.status):
        counts[row.status] = counts.get(row.status, 0) + 1
    database.close()
    return counts


def rows_in(status):
    database.connect(reuse_if_open=True)
    found = {r.id for r in OutboxMessage.select().where(OutboxMessage.status == status)}
    database.close()
    return found


def sent(count):
    """A condition: the given number of rows are sent (a dead claim holds the rest)."""
    return lambda: statuses().get("sent", 0) == count


def drained(worker, held):
    """A condition: the queue is empty and no claim but the dead one is open."""
    return lambda: not worker.queued() and rows_in("sending") == held


def eml_ids(app):
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    if not folder.exists():
        return []
    return [int(FILE_NAME.search(p.name).group(1)) for p in folder.glob("*.eml")]


def recover_as_staff(app, client):
    """Run the sweep past the lease, then send each interrupted row again as staff."""
    database.connect(reuse_if_open=True)
    counts = delivery.sweep(now=utcnow() + delivery.LEASE)
    interrupted = [
        row.id for row in OutboxMessage.select().where(OutboxMessage.status == "failed")
    ]
    assert counts["lost"] == len(interrupted)
    staff = StaffUser.create(email="desk@practice.example", role="staff")
    sign_in(client, f"s:{staff.id}:1")
    page = client.get("/staff/outbox").get_data(as_text=True)
    for message_id in interrupted:
        assert f'id="outbox-{message_id}"' in page and INTERRUPTED in page
        response = client.post(f"/staff/outbox/{message_id}/retry")
        assert response.status_code == 302
    return interrupted


def delivery_order(excluding):
    rows = OutboxMessage.select().order_by(OutboxMessage.sent_at, OutboxMessage.id)
    return [row.id for row in rows if row.id not in excluding]


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(
    app, client, runner, workers, monkeypatch
):
    ids = store_batch(monkeypatch)
    first = workers()
    first.enqueue(ids)

    first.start()
    wait_until(lambda: len(eml_ids(app)) >= 10, first)
    first.kill()

    written_before_restart = len(eml_ids(app))
    assert 10 <= written_before_restart < BATCH, "the kill came after the batch"
    # The task in hand died with the worker: its row is either claimed
    # ("sending") or still pending with no task left to send it.
    held = rows_in("sending")
    orphaned = rows_in("pending") - first.queued()
    assert len(held | orphaned) <= 1
    second = workers().start()
    wait_until(drained(second, held), second)
    second.stop()

    swept = runner.invoke(main, ["mail", "deliver"])  # the worker's sweep, by hand
    assert swept.exit_code == 0 and "0 failed" in swept.output
    interrupted = recover_as_staff(app, client)
    assert set(interrupted) == held
    written = eml_ids(app)
    assert sorted(written) == ids  # every row once: no file is missing or repeated
    for path in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"):
        message_id = int(FILE_NAME.search(path.name).group(1))
        assert read_eml(path)["X-Idempotency-Key"].startswith(f"outbox-{message_id}-")
    assert statuses() == {"sent": BATCH}
    database.connect(reuse_if_open=True)
    rescued = held | orphaned
    assert delivery_order(rescued) == [i for i in ids if i not in rescued]


def test_a_message_in_flight_at_the_kill_is_shown_and_sent_once_on_retry(
    app, client, workers, monkeypatch
):
    fake = FakeSendGrid(hang_seconds=5).start()
    fake.then(*["202"] * 9, "hang")
    settings = {
        "MAIL_BACKEND": "sendgrid",
        "SENDGRID_API_KEY": "SG.test-key",
        "SENDGRID_HOST": fake.url,
        "SENDGRID_TIMEOUT": "30",
    }
    app.config.update(settings, SENDGRID_TIMEOUT=30)
    try:
        ids = store_batch(monkeypatch, count=20)
        first = workers(**settings)
        first.enqueue(ids)
        first.start()
        wait_until(lambda: len(fake.received) >= 10, first)
        first.kill()  # while SendGrid has not answered for the tenth row

        assert statuses() == {"sent": 9, "sending": 1, "pending": 10}
        second = workers(**settings).start()
        wait_until(sent(19), second)
        second.stop()
        assert statuses() == {"sent": 19, "sending": 1}

        interrupted = recover_as_staff(app, client)
    finally:
        fake.stop()

    assert interrupted == [ids[9]]
    accepted = [int(body["custom_args"]["outbox_id"]) for body in fake.accepted()]
    assert accepted == ids[:9] + ids[10:] + ids[9:10]
    assert len(fake.received) == len(ids) + 1  # the unanswered try, then the retry
    assert statuses() == {"sent": len(ids)}
