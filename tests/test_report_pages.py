"""The monthly report page, its downloads and the sign-ups CSV, as staff see them."""

import csv
import io
import json
import re

from portal.models import (
    AuditEvent,
    CatalogItem,
    Member,
    Recognition,
    SignUp,
    Visit,
)
from portal.reports import charts, exports
from tests.attribution_helpers import ambassador, at, move, signup, staff
from tests.conftest import sign_in

MONTH = "2026-03"


def as_staff(client, role="manager"):
    user = staff(role)
    sign_in(client, f"s:{user.id}:{user.session_version}")
    return user


def march(member):
    first = signup(member, when=at("2026-03-05 15:00"), channel="qr")
    move(first, "became_patient", when=at("2026-03-20 15:00"))
    signup(member, when=at("2026-03-06 15:00"), channel="link")
    signup(None, when=at("2026-03-07 15:00"), how_heard="organic_search")
    return first


def test_staff_with_reports_see_charts_tables_and_ambassador_names(client):
    member = ambassador()
    march(member)
    as_staff(client)
    response = client.get(f"/reports/monthly?month={MONTH}")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Referral report for 2026-03" in html
    assert html.count('<svg class="chart" role="img"') == 5
    assert "No recognition approved in these 12 months." in html
    assert re.search(r'id="total-signups">3<', html)
    assert re.search(r'id="total-referred-patients">1<', html)
    assert re.search(r'id="funnel-became_patient">1<', html)
    assert f"#{member.id}</span> Amb1 Assador" in html
    assert "QR code" in html and "Organic search" in html
    assert " style=" not in html and "<script>" not in html
    assert "Download CSV" in html and "/staff/webhooks" in html


def test_revenue_and_recognition_charts_appear_once_there_is_data(client):
    member = ambassador()
    first = march(member)
    patient = Member.create(email="new.patient@example.org")
    SignUp.update(member=patient).where(SignUp.id == first.id).execute()
    Visit.create(
        external_id="V1",
        member=patient,
        visited_at=at("2026-03-25 15:00"),
        amount_cents=18000,
    )
    item = CatalogItem.create(name="Bottle", kind="branded_item")
    Recognition.create(
        member=member,
        item=item,
        value_cents=1200,
        trigger="first_visit",
        status="approved",
        year=2026,
        decided_at=at("2026-03-26 15:00"),
    )
    as_staff(client)
    html = client.get(f"/reports/monthly?month={MONTH}").get_data(as_text=True)
    assert html.count('<svg class="chart" role="img"') == 7
    assert "Average revenue per patient over 12 months, by source" in html
    assert "Patient referral: Average $180" in html  # the chart's description
    assert "Recognition value approved, by month" in html
    assert "No policy version is active, so there is no cap to compare with." in html


def test_people_without_the_reports_permission_are_refused(client):
    as_staff(client, "staff")
    assert client.get("/reports/monthly").status_code == 403
    assert client.get(f"/reports/monthly.csv?month={MONTH}").status_code == 403
    assert (
        client.get("/reports/signups.csv?from=2026-03-01&to=2026-03-31").status_code
        == 403
    )
    member = Member.create(email="m@example.com")
    sign_in(client, f"m:{member.id}")
    assert client.get("/reports/monthly").status_code == 403
    assert (
        AuditEvent.select().where(AuditEvent.action.endswith("exported")).count() == 0
    )


def test_the_page_steps_between_months_and_marks_one_not_over(client, app):
    from portal.practice import get_settings
    from portal.reports.monthly import current_month

    as_staff(client)
    past = client.get(f"/reports/monthly?month={MONTH}").get_data(as_text=True)
    assert 'rel="prev" href="/reports/monthly?month=2026-02"' in past
    assert 'rel="next" href="/reports/monthly?month=2026-04"' in past
    assert 'id="month-so-far"' not in past

    now = current_month(get_settings().timezone)
    html = client.get("/reports/monthly").get_data(as_text=True)
    assert f"Referral report for {now}" in html
    assert f'rel="prev" href="/reports/monthly?month={now.shift(-1)}"' in html
    assert 'rel="next"' not in html  # no month after this one yet
    assert "This month is not over" in html


def test_a_bad_month_is_named_next_to_the_field(client):
    as_staff(client, "compliance")
    response = client.get("/reports/monthly?month=2026-13")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="month-error">Enter a month as YYYY-MM, for example 2026-03.' in html
    assert 'value="2026-13"' in html and 'aria-invalid="true"' in html


def test_monthly_downloads_write_an_audit_event(client):
    march(ambassador())
    manager = as_staff(client)
    as_json = client.get(f"/reports/monthly.json?month={MONTH}")
    assert as_json.headers["Content-Disposition"].endswith('referrals-2026-03.json"')
    report = json.loads(as_json.data)
    assert report["totals"]["signups"] == 3 and report["month"] == MONTH
    as_csv = client.get(f"/reports/monthly.csv?month={MONTH}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(as_csv)))
    assert rows[0] == ["section", "key", "metric", "value"]
    assert ["totals", MONTH, "referred_signups", "2"] in rows
    assert ["by_channel", "qr", "new_patients", "1"] in rows
    assert ["funnel", MONTH, "became_patient", "1"] in rows
    events = AuditEvent.select().where(AuditEvent.action == "report.exported")
    assert [(e.actor, e.detail["format"]) for e in events] == [
        (f"staff:{manager.id}", "json"),
        (f"staff:{manager.id}", "csv"),
    ]


def test_signups_csv_has_attribution_and_no_formulas_or_contact_data(client):
    member = ambassador()
    signup(
        member,
        when=at("2026-03-10 15:00"),
        how_heard_detail='=HYPERLINK("http://x","y")',
        utm_source="+cmd",
        utm_campaign="@sum",
        utm_term="-2+3",
        utm_content="\tx",
    )
    signup(None, when=at("2026-04-02 15:00"))
    manager = as_staff(client)
    response = client.get("/reports/signups.csv?from=2026-03-01&to=2026-03-31")
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))

    assert response.mimetype == "text/csv" and len(rows) == 1
    row = rows[0]
    assert row["how_heard_detail"].startswith("'=HYPERLINK")
    assert (row["utm_source"], row["utm_campaign"], row["utm_term"]) == (
        "'+cmd",
        "'@sum",
        "'-2+3",
    )
    assert row["utm_content"] == "'\tx"
    assert row["ambassador_member_id"] == str(member.id)
    assert (row["source"], row["channel"], row["service_line"]) == (
        "patient_referral",
        "link",
        "primary-care",
    )
    assert row["created_at_local"] == "2026-03-10 11:00"  # New York, daylight time
    for personal in ("Ana", "Alvarez", "ana.friend@example.net", "5550199"):
        assert personal not in text
    audit = AuditEvent.get(AuditEvent.action == "signups.exported")
    assert audit.actor == f"staff:{manager.id}"
    assert audit.detail == {"from": "2026-03-01", "to": "2026-03-31", "rows": 1}


def test_signups_export_form_names_bad_dates(client):
    as_staff(client)
    form = client.get("/reports/signups").get_data(as_text=True)
    assert 'type="date"' in form and 'name="from"' in form
    response = client.get("/reports/signups.csv?from=2026-03-31&to=2026-03-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The last day must not be before the first." in html
    missing = client.get("/reports/signups.csv?from=soon&to=")
    assert missing.get_data(as_text=True).count("Enter a date as YYYY-MM-DD.") == 2
    assert (
        AuditEvent.select().where(AuditEvent.action == "signups.exported").count() == 0
    )


def test_safe_cell_quotes_only_formula_starts():
    cells = ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "plain", "a=b", 7, None, True]
    assert [exports.safe_cell(c) for c in cells] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "'\rx",
        "plain",
        "a=b",
        7,
        "",
        "yes",
    ]


def test_charts_are_plain_svg_with_escaped_labels():
    bars = charts.bars("Sources <b>", ["<script>", "b"], [("A", [3, 0]), ("B", [1, 2])])
    assert bars.startswith('<svg class="chart" role="img"') and bars.endswith("</svg>")
    assert "<script>" not in bars and "&lt;script&gt;" in bars
    assert "<title" in bars and "style=" not in bars
    assert bars.count("<rect") == 4 + 2  # four bars and a two-entry legend
    line = charts.lines("Trend", ["2026-01", "2026-02"], [("Sign-ups", [4, 9])])
    assert "<polyline" in line and line.count("<circle") == 2
    assert "Sign-ups: 2026-01 4, 2026-02 9" in line  # the description for readers
