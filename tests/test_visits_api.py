"""POST /api/v1/visits and /signals: per-item answers, idempotent, decided at once."""

import threading
from datetime import datetime, timedelta

import pytest

from portal.api import keys
from portal.db import database, utcnow
from portal.models import (
    Member,
    Prompt,
    RecoveryAlert,
    SatisfactionSignal,
    Suppression,
    Visit,
)
from portal.prompts import intake
from tests.prompt_helpers import make_practice, post, visit


@pytest.fixture
def practice(app):
    return make_practice()


def by_visit():
    return {p.visit.external_id: p for p in Prompt.select(Prompt, Visit).join(Visit)}


def test_a_batch_stores_each_visit_and_decides_each_prompt(client, practice):
    batch = [
        visit(1, "EHR-0", 10),
        visit(2, "EHR-1", 3),
        visit(3, "EHR-2", 8),
        visit(4, "EHR-3", 10, service_line="behavioral-health"),
        visit(5, "EHR-4", None),
        visit(6, "EHR-4", 5, scale="csat", flags={"minor": True}),
        visit(7, "EHR-99", 10),
        visit(8, "EHR-0", 11),
        visit(9, "EHR-0", 10, service_line="cardiology"),
    ]
    response = post(client, practice.key, "visits", {"visits": batch})

    assert response.status_code == 200
    body = response.json
    assert (body["received"], body["created"], body["unchanged"]) == (9, 6, 0)
    assert body["prompts"] == {"scheduled": 1, "suppressed": 4}
    assert body["recovery_alerts"] == 1
    rejected = {r["external_id"]: r for r in body["rejected"]}
    assert set(rejected) == {"V-7", "V-8", "V-9"}
    assert rejected["V-7"]["index"] == 6
    assert rejected["V-7"]["errors"] == [
        {"field": "member", "message": "no member has this external id or email"}
    ]
    assert rejected["V-8"]["errors"][0]["field"] == "signal.score"
    assert "whole number from 0 to 10" in rejected["V-8"]["errors"][0]["message"]
    assert rejected["V-9"]["errors"][0]["field"] == "service_line"

    assert Visit.select().count() == 6 and SatisfactionSignal.select().count() == 5
    prompts = by_visit()
    assert set(prompts) == {"V-1", "V-2", "V-3", "V-4", "V-6"}
    assert {k: (p.status, p.reason_code) for k, p in prompts.items()} == {
        "V-1": ("scheduled", "promoter"),
        "V-2": ("suppressed", "detractor"),
        "V-3": ("suppressed", "below_threshold"),
        "V-4": ("suppressed", "sensitive_service_line"),
        "V-6": ("suppressed", "flag_minor"),
    }
    first = prompts["V-1"]
    assert first.scheduled_for >= first.visit.visited_at + timedelta(hours=2)
    assert first.rule["source"] == "default" and first.rule["nps_min"] == 9
    assert first.rule["timezone"] == "America/New_York" and first.rule["score"] == 10
    alert = RecoveryAlert.get()
    assert alert.visit.external_id == "V-2" and alert.member.external_id == "EHR-1"


def test_the_same_batch_three_times_changes_nothing(client, practice):
    batch = {"visits": [visit(n, f"EHR-{n}", 10) for n in range(4)]}
    answers = [post(client, practice.key, "visits", batch).json for _ in range(3)]

    assert [a["created"] for a in answers] == [4, 0, 0]
    assert [a["unchanged"] for a in answers] == [0, 4, 4]
    assert answers[2]["prompts"] == {"scheduled": 0, "suppressed": 0}
    assert Visit.select().count() == 4
    assert SatisfactionSignal.select().count() == 4
    assert Prompt.select().count() == 4


def test_the_same_batch_delivered_concurrently_makes_one_of_everything(app, practice):
    batch = {
        "visits": [visit(n, f"EHR-{n % 5}", 10 if n % 2 else 2) for n in range(40)]
    }
    barrier = threading.Barrier(3)
    answers, errors = [], []

    def deliver():
        client = app.test_client()
        barrier.wait()
        try:
            answers.append(post(client, practice.key, "visits", batch))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == [] and [a.status_code for a in answers] == [200, 200, 200]
    assert sorted(a.json["created"] for a in answers) == [0, 0, 40]
    assert Visit.select().count() == 40
    assert SatisfactionSignal.select().count() == 40
    assert Prompt.select().count() == 40
    # Twenty promoters over five members: the cooldown lets one each through.
    assert Prompt.select().where(Prompt.status == "scheduled").count() == 5
    assert RecoveryAlert.select().count() == 20


def test_two_promoter_visits_of_one_member_in_a_batch_prompt_once(client, practice):
    batch = [visit(1, "EHR-0", 10, hours_ago=5), visit(2, "EHR-0", 9, hours_ago=1)]
    post(client, practice.key, "visits", {"visits": batch})
    prompts = by_visit()
    assert prompts["V-1"].reason_code == "promoter"
    assert prompts["V-2"].reason_code == "cooldown"


def test_prompt_history_in_the_database_counts_for_cooldown(client, practice):
    member = practice.members[0]
    old = Visit.create(
        external_id="OLD",
        member=member,
        visited_at=utcnow() - timedelta(days=40),
    )
    Prompt.create(
        visit=old,
        member=member,
        status="sent",
        reason_code="promoter",
        sent_at=utcnow() - timedelta(days=40),
    )
    post(client, practice.key, "visits", {"visits": [visit(1, "EHR-0", 10)]})
    assert by_visit()["V-1"].reason_code == "cooldown"
    Prompt.update(sent_at=utcnow() - timedelta(days=100)).execute()
    post(client, practice.key, "visits", {"visits": [visit(2, "EHR-0", 10)]})
    assert by_visit()["V-2"].reason_code == "promoter"


def test_members_who_must_not_be_asked(client, practice):
    one, two, three = practice.members[1:4]
    Member.update(prompts_opt_out=True).where(Member.id == one.id).execute()
    Suppression.create(email=two.email)
    Member.update(erased_at=utcnow()).where(Member.id == three.id).execute()
    batch = [visit(n, f"EHR-{n}", 10) for n in (1, 2, 3)]
    post(client, practice.key, "visits", {"visits": batch})
    reasons = {k: p.reason_code for k, p in by_visit().items()}
    assert reasons == {
        "V-1": "member_opted_out",
        "V-2": "member_suppressed",
        "V-3": "member_erased",
    }


def test_each_item_is_checked_on_its_own(client, practice):
    future = (utcnow() + timedelta(days=1)).isoformat() + "+00:00"
    batch = [
        visit(1, member_email="MEMBER1@example.com"),
        {**visit(2, "EHR-0"), "member_email": "member1@example.com"},
        visit(3, "EHR-0", visited_at=future),
        visit(1, "EHR-2"),
        "not a visit",
        {**visit(4), "member_external_id": None},
        {**visit(5), "colour": "blue"},
        visit(6, "EHR-1", 10, signal={"scale": "nps", "score": 9, "external_id": "S"}),
        visit(7, "EHR-2", 10, signal={"scale": "nps", "score": 9, "external_id": "S"}),
    ]
    batch[0].pop("member_external_id")
    body = post(client, practice.key, "visits", {"visits": batch}).json

    assert body["created"] == 2
    problems = {r["index"]: r["errors"] for r in body["rejected"]}
    assert problems[8] == [
        {"field": "signal.external_id", "message": "repeats item 7 of this batch"}
    ]
    assert problems[1] == [
        {
            "field": "member_email",
            "message": "names a different member than the external id",
        }
    ]
    assert problems[2][0]["field"] == "visited_at"
    assert problems[3] == [
        {"field": "external_id", "message": "repeats item 0 of this batch"}
    ]
    assert problems[4][0]["field"] == "body"
    assert "member_external_id or member_email" in problems[5][0]["message"]
    assert problems[6][0]["field"] == "colour"
    assert "example.com" not in str(body["rejected"])
    assert Visit.get(Visit.external_id == "V-1").member.email == "member1@example.com"


def test_a_time_without_an_offset_is_practice_time(client, practice):
    item = visit(1, "EHR-0", None, visited_at="2026-01-15T09:30:00")
    post(client, practice.key, "visits", {"visits": [item]})
    assert Visit.get().visited_at == datetime(2026, 1, 15, 14, 30)


def test_batches_must_hold_one_to_a_thousand(client, practice):
    too_many = {"visits": [visit(n) for n in range(1001)]}
    response = post(client, practice.key, "visits", too_many)
    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "visits"
    assert post(client, practice.key, "visits", {"visits": []}).status_code == 422
    assert Visit.select().count() == 0


def test_keys_scope_and_signature_are_enforced(client, practice):
    body = {"visits": [visit(1)]}
    export, _ = keys.create("bi", "export")
    assert post(client, export, "visits", body).status_code == 403
    assert post(client, "ap_nope", "visits", body).status_code == 401
    signed, row = keys.create("bridge", "ingest", signed=True)
    unsigned = post(client, signed, "visits", body)
    assert unsigned.status_code == 401 and unsigned.json["error"]["code"] == "unsigned"
    stale = post(
        client, signed, "visits", body, lambda d: keys.sign(row.signing_secret, d, 1)
    )
    assert stale.json["error"]["code"] == "stale_signature"
    assert Visit.select().count() == 0
    good = post(
        client, signed, "visits", body, lambda d: keys.sign(row.signing_secret, d)
    )
    assert good.status_code == 200 and Visit.select().count() == 1


def test_a_signal_sent_later_decides_the_prompt(client, practice):
    post(client, practice.key, "visits", {"visits": [visit(1, "EHR-0", None)]})
    assert Prompt.select().count() == 0
    signal = {
        "visit_external_id": "V-1",
        "external_id": "S-1",
        "scale": "stars",
        "score": 5,
    }
    first = post(client, practice.key, "signals", {"signals": [signal]}).json
    again = post(client, practice.key, "signals", {"signals": [signal]}).json

    assert (first["created"], first["prompts"]["scheduled"]) == (1, 1)
    assert (again["created"], again["unchanged"]) == (0, 1)
    assert SatisfactionSignal.select().count() == 1
    assert by_visit()["V-1"].status == "scheduled"


def test_a_later_detractor_signal_calls_off_a_scheduled_prompt(client, practice):
    post(client, practice.key, "visits", {"visits": [visit(1, "EHR-0", 10)]})
    later = {"visit_external_id": "V-1", "scale": "nps", "score": 2}
    signals = [
        {**later, "external_id": "S-1"},
        {**later, "external_id": "S-2", "score": 1},
        {**later, "visit_external_id": "V-404", "external_id": "S-3"},
        {**later, "external_id": "S-1"},
    ]
    body = post(client, practice.key, "signals", {"signals": signals}).json

    assert body["created"] == 2 and body["recovery_alerts"] == 1
    problems = {r["external_id"]: r["errors"][0] for r in body["rejected"]}
    assert problems["S-3"]["field"] == "visit_external_id"
    assert problems["S-1"]["message"] == "repeats item 0 of this batch"
    prompt = by_visit()["V-1"]
    assert (prompt.status, prompt.reason_code) == ("cancelled", "detractor")
    assert prompt.reason_detail == "detractor,later_signal"
    assert prompt.scheduled_for is None
    assert RecoveryAlert.select().count() == 1


def test_a_batch_costs_the_same_queries_whatever_its_size(app, practice, monkeypatch):
    counted = []
    real = database.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        counted.append(sql)
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", counting)

    def cost(start, size):
        counted.clear()
        items = [visit(start + n, f"EHR-{n % 5}", n % 11) for n in range(size)]
        report = intake.ingest_visits(items)
        assert report.created == size
        return len(counted)

    small, large = cost(0, 5), cost(1000, 400)
    assert small == large


def test_the_openapi_document_describes_both_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    visits = paths["/api/v1/visits"]["post"]
    assert visits["security"] == [{"apiKey": []}]
    assert "IngestResult" in str(visits["responses"]["200"])
    assert "SignalBatch" in str(paths["/api/v1/signals"]["post"]["requestBody"])
