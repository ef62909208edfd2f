"""Compliance pages: policy versions and sign-off, the catalog, the audit log."""

import csv
import io
import json
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from werkzeug.datastructures import MultiDict

from portal import audit
from portal.compliance import policy_form
from portal.models import AuditEvent, CatalogItem, PolicyVersion
from portal.recognition import versions
from tests import recognition_support as support
from tests.conftest import sign_in


@pytest.fixture
def officer(app, client):
    support.signed_policy()
    support.catalog()
    user = support.staff("compliance", "Casey Compliance")
    sign_in(client, f"s:{user.id}:{user.session_version}")
    return user


def form_for(rules, **changes):
    """Post the policy form as a browser would, from a rules dict."""
    values = policy_form.values_from(rules)
    data = MultiDict()
    for name in policy_form.MONEY_FIELDS:
        data[name] = values[name]
    for name in ("home_state", "federal_rule", "federal_per_item_cap"):
        data[name] = values[name]
    data["federal_annual_cap"] = values["federal_annual_cap"]
    data["federal_payers"] = values["federal_payers"]
    for kind in values["forbidden"]:
        data.add("forbidden", kind)
    for trigger, setting in values["triggers"].items():
        if setting["enabled"]:
            data[f"trigger-{trigger}-enabled"] = "1"
        data[f"trigger-{trigger}-item_kind"] = setting["item_kind"]
    for i, row in enumerate(values["states"]):
        data[f"states-{i}-present"] = "1"
        data[f"states-{i}-code"] = row["code"]
        data[f"states-{i}-law"] = row["law"]
        if row["restrictive"]:
            data[f"states-{i}-restrictive"] = "1"
    for i, row in enumerate(values["signoffs"]):
        data[f"signoffs-{i}-present"] = "1"
        for name in ("state", "kind", "signed_by", "signed_on"):
            data[f"signoffs-{i}-{name}"] = row.get(name, "")
    data["note"] = "test change"
    for name, value in changes.items():
        data[name.replace("__", "-")] = value
    return data


def test_only_compliance_opens_the_compliance_pages(client, app):
    staff = support.staff("staff")
    sign_in(client, f"s:{staff.id}:{staff.session_version}")
    for path in ("/compliance/", "/compliance/audit", "/compliance/document"):
        assert client.get(path).status_code == 403


def test_overview_shows_the_policy_in_effect_and_an_intact_log(client, officer):
    page = client.get("/compliance/").get_data(as_text=True)
    assert "Version 1 is in effect" in page
    assert "Annual cap per member: <strong>$75.00</strong>" in page
    assert "Intact" in page and "awaits your sign-off" not in page


def test_lowering_the_cap_makes_a_pending_version_until_it_is_signed(client, officer):
    form = client.get("/compliance/policy/new").get_data(as_text=True)
    assert 'name="annual_cap" value="75.00"' in form

    data = form_for(versions.active_version().rules, annual_cap="50.00")
    response = client.post("/compliance/policy/new", data=data)
    assert response.status_code == 302
    pending = PolicyVersion.get(PolicyVersion.number == 2)
    assert pending.status == "pending" and pending.rules["annual_cap_cents"] == 5000
    assert pending.change_note == "test change"
    assert versions.active_version().number == 1
    created = AuditEvent.get(
        AuditEvent.action == "policy.created", AuditEvent.subject == "policy:2"
    )
    assert created.detail["changes"] == ["annual_cap_cents"]

    overview = client.get("/compliance/").get_data(as_text=True)
    assert "Version 2 awaits your sign-off" in overview
    assert "<code>annual_cap_cents</code></td><td>7500</td><td>5000</td>" in overview

    client.post("/compliance/policy/2/sign")
    assert versions.active_version().number == 2
    signed = AuditEvent.get(
        AuditEvent.action == "policy.signed", AuditEvent.subject == "policy:2"
    )
    assert signed.detail == {"signed_by": f"staff:{officer.id}", "supersedes": 1}
    history = client.get("/compliance/policy/versions").get_data(as_text=True)
    assert 'id="version-1"' in history and "superseded" in history


def test_a_bad_amount_keeps_the_form_and_marks_the_field(client, officer):
    data = form_for(versions.active_version().rules, annual_cap="lots", note="")
    response = client.post("/compliance/policy/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="annual_cap" name="annual_cap" value="lots" aria-invalid="true"' in page
    assert "Enter an amount in dollars, like 12.00." in page
    assert "Say what changed and why" in page
    assert PolicyVersion.select().count() == 1


def test_a_counsel_sign_off_allows_service_credit_in_one_state(client, officer):
    rules = versions.active_version().rules
    incomplete = form_for(
        rules, signoffs__0__state="NC", signoffs__0__kind="service_credit"
    )
    page = client.post("/compliance/policy/new", data=incomplete).get_data(as_text=True)
    assert "Name the counsel who signed off." in page

    data = form_for(
        rules,
        signoffs__0__state="NC",
        signoffs__0__kind="service_credit",
        signoffs__0__signed_by="Dana Counsel",
        signoffs__0__signed_on="2026-03-02",
    )
    assert client.post("/compliance/policy/new", data=data).status_code == 302
    saved = PolicyVersion.get(PolicyVersion.number == 2).rules
    assert saved["states"]["NC"]["counsel_allowed"] == {
        "service_credit": {"signed_by": "Dana Counsel", "signed_on": "2026-03-02"}
    }
    assert "service_credit" in saved["forbidden_kinds"]


def test_removing_a_restrictive_law_name_is_refused(client, officer):
    rules = versions.active_version().rules
    row = next(
        i
        for i, r in enumerate(policy_form.values_from(rules)["states"])
        if r["code"] == "CA"
    )
    data = form_for(rules, **{f"states__{row}__law": ""})
    page = client.post("/compliance/policy/new", data=data).get_data(as_text=True)
    assert "Name the law that makes the state restrictive." in page
    assert PolicyVersion.select().count() == 1


def test_a_pending_version_can_be_withdrawn(client, officer):
    client.post(
        "/compliance/policy/new",
        data=form_for(versions.active_version().rules, per_item_cap="10.00"),
    )
    client.post("/compliance/policy/2/withdraw")
    assert PolicyVersion.get(PolicyVersion.number == 2).status == "withdrawn"
    assert versions.active_version().number == 1


def test_catalog_items_are_added_and_changed_with_audit_events(client, officer):
    page = client.get("/compliance/catalog").get_data(as_text=True)
    assert "Always refused" in page  # the gift card

    bad = client.post(
        "/compliance/catalog",
        data={"name": "", "kind": "branded_item", "retail_value": "x"},
    )
    assert bad.status_code == 422
    assert "Give the item a name." in bad.get_data(as_text=True)

    client.post(
        "/compliance/catalog",
        data={
            "name": "Tote bag",
            "kind": "branded_item",
            "retail_value": "$9.50",
            "active": "1",
        },
    )
    tote = CatalogItem.get(CatalogItem.name == "Tote bag")
    assert tote.retail_value_cents == 950 and tote.active
    client.post(
        f"/compliance/catalog/{tote.id}",
        data={"name": "Tote bag", "kind": "branded_item", "retail_value": "11"},
    )
    tote = CatalogItem.get_by_id(tote.id)
    assert tote.retail_value_cents == 1100 and not tote.active
    changed = AuditEvent.get(AuditEvent.action == "catalog.item_changed")
    assert changed.detail["changed"] == ["retail_value_cents", "active"]


def test_the_audit_log_pages_filters_and_exports(client, officer):
    for n in range(60):
        audit.record("cli", "test.filler", f"thing:{n}")
    first = client.get("/compliance/audit").get_data(as_text=True)
    assert "Page 1 of 2" in first and "test.filler" in first
    # The log keeps its clock in UTC, whatever the practice's timezone.
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).first().occurred_at
    utc, new_york = (
        format_datetime(last, "medium", tzinfo=ZoneInfo(zone), locale="en")
        for zone in ("UTC", "America/New_York")
    )
    assert "When (UTC)" in first and utc in first and new_york not in first
    only = client.get("/compliance/audit?action=policy.signed").get_data(as_text=True)
    assert "policy:1" in only and "thing:" not in only

    response = client.get("/compliance/audit/export.csv?action=test.filler")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 60 and rows[0]["subject"] == "thing:0"
    assert json.loads(rows[0]["detail"]) == {}

    lines = (
        client.get("/compliance/audit/export.jsonl").get_data(as_text=True).splitlines()
    )
    events = [json.loads(line) for line in lines]
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert events[-1]["prev_hash"] == events[-2]["hash"]
    exports = AuditEvent.select().where(AuditEvent.action == "audit.exported")
    assert [e.detail["format"] for e in exports] == ["csv", "jsonl"]
    assert exports.first().detail["count"] == 60


def test_the_verify_page_names_a_tampered_event(client, officer):
    event = AuditEvent.get(AuditEvent.action == "policy.signed")
    AuditEvent.update(actor="staff:999").where(AuditEvent.id == event.id).execute()
    page = client.get("/compliance/audit/verify").get_data(as_text=True)
    assert "Broken" in page
    assert f"Audit event {event.id} content does not match its hash" in page
