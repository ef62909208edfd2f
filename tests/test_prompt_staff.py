"""Staff pages for prompts: the overview, "why no prompt?", alerts and rules."""

import pytest

from portal.db import utcnow
from portal.models import (
    AuditEvent,
    Click,
    Member,
    Prompt,
    PromptRule,
    RecoveryAlert,
    ReferralLink,
    SignUp,
    StaffUser,
    Visit,
)
from portal.prompts import delivery
from portal.prompts.intake import ingest_visits
from tests.conftest import PHONE, sign_in
from tests.prompt_helpers import make_practice, practice_noon, visit


@pytest.fixture
def practice(app):
    return make_practice()


def staff(client, role):
    user = StaffUser.create(email=f"{role}@practice.example", role=role)
    sign_in(client, f"s:{user.id}:{user.session_version}")
    return user


def html(response):
    return response.get_data(as_text=True)


def test_only_staff_with_the_signups_permission_see_prompts(client, practice):
    assert client.get("/staff/prompts").status_code in (302, 401)
    sign_in(client, f"m:{practice.members[0].id}")
    assert client.get("/staff/prompts").status_code == 403
    staff(client, "compliance")
    assert client.get("/staff/prompts").status_code == 403
    staff(client, "staff")
    assert client.get("/staff/prompts").status_code == 200


def test_the_overview_counts_decisions_and_names_the_reasons(client, practice):
    ingest_visits(
        [
            visit(1, "EHR-0", 10),
            visit(2, "EHR-1", 2),
            visit(3, "EHR-2", 8),
            visit(4, "EHR-3", 10, service_line="behavioral-health"),
        ]
    )
    staff(client, "staff")
    page = html(client.get("/staff/prompts"))
    assert '<strong id="total-scheduled">1</strong>' in page
    assert '<strong id="total-suppressed">3</strong>' in page
    assert "Detractor score: sent to service recovery" in page
    assert "<code>sensitive_service_line</code>" in page
    assert '<span class="badge badge-warn" id="open-alerts">1</span>' in page
    weeks = page.split('id="weeks-table"')[1].split("</table>")[0]
    assert "<code>detractor</code> 1" in weeks
    assert "<code>sensitive_service_line</code> 1" in weeks
    assert html(client.get("/staff/prompts?days=365")).count("<rect") > 150


def test_prompt_to_share_and_sign_up_rates_by_service_line(client, practice):
    ingest_visits([visit(n, f"EHR-{n}", 10) for n in range(4)])
    delivery.run_due(practice_noon())
    first, second = Prompt.select().order_by(Prompt.id)[:2]
    Prompt.update(shared_at=utcnow()).where(Prompt.id == first.id).execute()

    # A friend opens the second member's link from the prompt email and signs up.
    code = ReferralLink.get(ReferralLink.member == second.member_id).code
    friend = client.application.test_client()
    landing = friend.get(
        f"/r/{code}?c=email&p={second.id}", headers={"User-Agent": PHONE}
    )
    assert landing.status_code == 302 and "p=" not in landing.headers["Location"]
    assert Click.get().prompt_id == str(second.id)
    friend.post(
        "/join",
        data={
            "first_name": "Ben",
            "email": "ben@example.net",
            "service_line": "primary-care",
            "location": "downtown",
            "how_heard": "patient_referral",
            "code": code,
            "code_source": "address",
            "email_consent": "1",
        },
        headers={"User-Agent": PHONE},
    )
    assert SignUp.get().prompt_id == str(second.id)

    staff(client, "staff")
    page = html(client.get("/staff/prompts"))
    row = page.split('id="lines-table"')[1].split("</tr>")[1]
    cells = [c.split("<")[0] for c in row.split('class="num">')[1:]]
    assert "Primary care" in row
    assert cells == ["4", "2", "50%", "1", "25%", "1"]


def test_why_no_prompt_answers_with_reason_and_rule(client, practice):
    ingest_visits([visit(1, "EHR-1", 3), visit(2, "EHR-1", None, hours_ago=30)])
    manager = staff(client, "staff")
    page = html(
        client.post(
            "/staff/prompts/why",
            data={"member": "Member1@Example.com"},
            headers={"HX-Request": "true"},
        )
    )
    assert "<html" not in page and 'id="why-member-name"' in page
    assert "Detractor score: sent to service recovery, never asked to share." in page
    assert "<code>detractor</code>" in page
    assert "· Primary care · Downtown" in page
    assert "NPS 3" in page
    assert "<dt>NPS promoter from</dt><dd>9</dd>" in page
    assert "<dt>Rule</dt><dd>default</dd>" in page
    assert "<dt>Quiet hours from</dt><dd>21:00</dd>" in page
    assert "No satisfaction signal yet, so no decision has been taken." in page
    event = AuditEvent.get(AuditEvent.action == "prompts.why_viewed")
    member = Member.get(Member.external_id == "EHR-1")
    assert (event.actor, event.subject) == (
        f"staff:{manager.id}",
        f"member:{member.id}",
    )

    by_id = html(client.post("/staff/prompts/why", data={"member": "EHR-1"}))
    assert "<html" in by_id and "<code>detractor</code>" in by_id
    nobody = html(client.post("/staff/prompts/why", data={"member": "EHR-404"}))
    assert "No member has that email or external id." in nobody


def test_why_names_what_stands_in_the_way_now(client, practice):
    Member.update(prompts_opt_out=True).where(Member.external_id == "EHR-0").execute()
    ingest_visits([visit(1, "EHR-0", 10)])
    staff(client, "staff")
    page = html(client.post("/staff/prompts/why", data={"member": "EHR-0"}))
    assert "The member opted out of prompts." in page
    assert "<code>member_opted_out</code>" in page


def test_alerts_are_listed_and_resolved(client, practice):
    ingest_visits([visit(1, "EHR-1", 2)])
    user = staff(client, "staff")
    page = html(client.get("/staff/prompts/alerts"))
    alert = RecoveryAlert.get()
    assert f'id="alert-{alert.id}"' in page and "member1@example.com" in page

    done = client.post(
        f"/staff/prompts/alerts/{alert.id}/resolve", data={"note": "Called, fixed"}
    )
    assert done.status_code == 303
    alert = RecoveryAlert.get_by_id(alert.id)
    assert alert.resolved_by_id == user.id and alert.note == "Called, fixed"
    page = html(client.get("/staff/prompts/alerts"))
    assert 'id="no-open-alerts"' in page and "Called, fixed" in page
    again = client.post(f"/staff/prompts/alerts/{alert.id}/resolve", data={})
    assert again.status_code == 404
    assert AuditEvent.get(AuditEvent.action == "recovery_alert.resolved")


RULE = {
    "enabled": "1",
    "nps_min": "10",
    "csat_min": "5",
    "stars_min": "5",
    "cooldown_days": "30",
    "lifetime_limit": "4",
    "delay_minutes": "60",
    "quiet_start": "20:00",
    "quiet_end": "9:00",
}


def test_only_managers_edit_rules(client, practice):
    staff(client, "staff")
    assert client.get("/staff/prompts/rules").status_code == 403
    assert client.post("/staff/prompts/rules/default", data=RULE).status_code == 403
    staff(client, "manager")
    page = html(client.get("/staff/prompts/rules"))
    assert 'id="rule-default"' in page and 'id="rule-primary-care"' in page
    assert "Sensitive: never prompted" in page


def test_a_bad_rule_is_refused_with_errors_beside_the_fields(client, practice):
    staff(client, "manager")
    bad = {**RULE, "nps_min": "5", "quiet_end": "nine"}
    response = client.post("/staff/prompts/rules/default", data=bad)
    page = html(response)
    assert response.status_code == 422
    assert 'id="default-nps_min-error"' in page
    assert "NPS promoter from must be a whole number from 7 to 10." in page
    assert "Quiet hours until must be a time of day like 21:00." in page
    assert 'value="nine"' in page
    assert PromptRule.get(PromptRule.service_line.is_null()).nps_min == 9


def test_a_service_line_rule_decides_its_visits_until_reset(client, practice):
    manager = staff(client, "manager")
    saved = client.post("/staff/prompts/rules/primary-care", data=RULE)
    assert saved.status_code == 303
    rule = PromptRule.get(PromptRule.service_line == practice.primary.id)
    assert (rule.nps_min, rule.quiet_end, rule.delay_minutes) == (10, "09:00", 60)
    event = AuditEvent.get(AuditEvent.action == "prompt_rule.saved")
    assert event.actor == f"staff:{manager.id}"
    assert event.detail["after"]["nps_min"] == 10 and event.detail["before"] is None

    ingest_visits([visit(1, "EHR-0", 9)])
    prompt = Prompt.get()
    assert prompt.reason_code == "below_threshold"
    assert prompt.rule["source"] == "service_line:primary-care"
    assert prompt.rule["rule_id"] == rule.id

    client.post("/staff/prompts/rules/primary-care/reset")
    assert (
        not PromptRule.select().where(PromptRule.service_line.is_null(False)).exists()
    )
    ingest_visits([visit(2, "EHR-1", 9)])
    latest = Prompt.select().join(Visit).where(Visit.external_id == "V-2").get()
    assert latest.reason_code == "promoter" and latest.rule["source"] == "default"
    assert client.post("/staff/prompts/rules/nope", data=RULE).status_code == 404
