"""The demo practice's visits with signals carry real prompt decisions."""

from peewee import fn

from portal import demo
from portal.db import utcnow
from portal.models import Prompt, RecoveryAlert, SatisfactionSignal, SignUp, StaffUser
from portal.prompts import stats
from tests.conftest import sign_in


def test_the_demo_decides_every_visit_with_a_signal(client):
    demo.load(echo=lambda *_: None)

    signalled = SatisfactionSignal.select(fn.COUNT(SatisfactionSignal.visit.distinct()))
    assert Prompt.select().count() == signalled.scalar() > 500
    reasons = {p.reason_code for p in Prompt.select(Prompt.reason_code).distinct()}
    assert {"promoter", "detractor", "below_threshold", "cooldown"} <= reasons
    assert "sensitive_service_line" in reasons
    assert Prompt.select().where(Prompt.status == "sent").count() > 100
    now = utcnow()
    assert not Prompt.select().where(Prompt.sent_at > now).exists()
    overdue = Prompt.select().where(
        Prompt.status == "scheduled", Prompt.scheduled_for <= now
    )
    assert not overdue.exists()

    open_alerts = RecoveryAlert.select().where(RecoveryAlert.resolved_at.is_null())
    assert 0 < open_alerts.count() < 20
    assert RecoveryAlert.select().count() == (
        Prompt.select().where(Prompt.reason_code == "detractor").count()
    )
    assert SignUp.select().where(SignUp.prompt_id.is_null(False)).exists()

    report = stats.overview(365)
    assert report.totals["sent"] > 100 and report.totals["suppressed"] > 100
    assert any(line.signed_up for line in report.lines)

    manager = StaffUser.get(StaffUser.role == "manager")
    sign_in(client, f"s:{manager.id}:{manager.session_version}")
    page = client.get("/staff/prompts?days=365").get_data(as_text=True)
    assert "Women&#39;s health" in page or "Women's health" in page
    assert client.get("/staff/prompts/alerts").status_code == 200
