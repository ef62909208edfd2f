"""Managers hear of service-recovery alerts by email, without patient data in it."""

import re
from datetime import datetime, timedelta

import pytest

from portal.db import utcnow
from portal.models import OutboxMessage, RecoveryAlert, StaffUser
from portal.prompts import recovery, tasks
from portal.prompts.intake import ingest_visits
from portal.tasks import huey
from tests.conftest import PHONE, sign_in
from tests.prompt_helpers import make_practice, visit
from tests.test_survey import send_survey, tap


@pytest.fixture
def practice(app):
    StaffUser.create(email="front@maplegrove.example", role="staff")
    StaffUser.create(email="lee@maplegrove.example", role="manager")
    StaffUser.create(email="gone@maplegrove.example", role="manager", active=False)
    StaffUser.create(email="root@maplegrove.example", role="admin")
    return make_practice(survey=True)


def notices():
    return list(
        OutboxMessage.select()
        .where(OutboxMessage.kind == "recovery_alert")
        .order_by(OutboxMessage.id)
    )


def test_new_alerts_are_told_to_active_managers_once(practice):
    ingest_visits([visit(1, "EHR-0", 2), visit(2, "EHR-1", 4), visit(3, "EHR-3", 10)])
    assert RecoveryAlert.select().count() == 2

    told = recovery.notify_staff()

    assert (told.alerts, told.wants_contact) == (2, 0)
    [message] = notices()
    assert message.to_email == "lee@maplegrove.example"
    assert message.marketing is False and message.status in ("pending", "sent")
    assert message.subject == "Service recovery: 2 new alerts"
    assert "2 visits have new service-recovery alerts" in message.text_body
    assert "http://portal.test/staff/prompts/alerts" in message.text_body
    assert "manage the practice's Ambassador Portal" in message.text_body
    assert all(a.notified_at is not None for a in RecoveryAlert.select())
    # Nothing new: nothing sent.
    assert recovery.notify_staff().alerts == 0
    assert len(notices()) == 1


def test_the_email_names_no_patient_and_no_score(practice):
    ingest_visits([visit(1, "EHR-0", 0)])
    recovery.notify_staff()
    [message] = notices()
    member = practice.members[0]
    for secret in (member.first_name, member.email, member.external_id, "V-1"):
        for part in (message.subject, message.text_body, message.html_body):
            assert secret not in part
    assert not re.search(r"\bscore(d)? (of )?0\b", message.text_body)


def test_a_patient_asking_to_be_contacted_is_told_again(client, practice):
    paths = send_survey()
    html = tap(client, paths[3]).get_data(as_text=True)
    assert recovery.notify_staff().alerts == 1

    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    client.post("/survey/contact", data={"token": token}, headers={"User-Agent": PHONE})
    client.post("/survey/contact", data={"token": token}, headers={"User-Agent": PHONE})

    told = recovery.notify_staff()
    assert (told.alerts, told.wants_contact) == (1, 1)
    first, second = notices()
    assert first.subject == "Service recovery: 1 new alert"
    assert second.subject == "Service recovery: 1 patient asked to be contacted"
    assert "1 of them asked to be contacted." in second.text_body
    # A second tap of the same button does not tell them a third time.
    assert recovery.notify_staff().alerts == 0


def test_resolved_alerts_are_not_told(practice):
    ingest_visits([visit(1, "EHR-0", 1)])
    RecoveryAlert.update(resolved_at=utcnow()).execute()
    assert recovery.notify_staff().alerts == 0
    assert notices() == []


def test_without_a_manager_admins_are_told_and_without_either_alerts_wait(practice):
    StaffUser.update(active=False).where(StaffUser.role == "manager").execute()
    ingest_visits([visit(1, "EHR-0", 1)])
    assert recovery.notify_staff().recipients == ["root@maplegrove.example"]

    StaffUser.update(active=False).where(StaffUser.role == "admin").execute()
    ingest_visits([visit(2, "EHR-1", 1)])
    assert recovery.notify_staff().alerts == 0
    waiting = RecoveryAlert.get(RecoveryAlert.notified_at.is_null())
    assert waiting.visit.external_id == "V-2"
    # The first manager to join hears of it.
    StaffUser.create(email="new@maplegrove.example", role="manager")
    assert recovery.notify_staff().recipients == ["new@maplegrove.example"]
    assert notices()[-1].to_email == "new@maplegrove.example"


def test_the_worker_tells_managers_every_five_minutes(practice):
    name = tasks.tell_managers_of_alerts.task_class().name
    moment = datetime(2026, 3, 1, 9, 5)
    assert name in {task.name for task in huey.read_periodic(moment)}
    later = moment + timedelta(minutes=1)
    assert name not in {task.name for task in huey.read_periodic(later)}
    ingest_visits([visit(1, "EHR-0", 1)])
    tasks.tell_managers_of_alerts.call_local()
    assert [m.to_email for m in notices()] == ["lee@maplegrove.example"]


def test_the_alerts_page_says_who_is_emailed(client, practice):
    manager = StaffUser.get(StaffUser.email == "lee@maplegrove.example")
    sign_in(client, f"s:{manager.id}:{manager.session_version}")
    html = client.get("/staff/prompts/alerts").get_data(as_text=True)
    assert "Managers are emailed within five minutes of a new alert" in html
