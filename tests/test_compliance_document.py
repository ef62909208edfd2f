"""The program document for counsel, and the policy and compliance commands."""

import base64
import hashlib
import re

from portal.cli import main
from portal.models import AuditEvent, PolicyVersion
from portal.recognition import versions
from portal.recognition.policy import default_rules
from tests import recognition_support as support
from tests.conftest import sign_in

SECTIONS = (
    "Purpose and sponsor",
    "States and payer mix",
    "Legal analysis, law by law",
    "Eligibility",
    "Recognition catalog, values and caps",
    "Forbidden kinds",
    "Triggers",
    "Approval workflow and separation of duties",
    "Audit log",
    "Privacy and consent",
    "Message templates, consent and opt-out",
    "Data kept and retention",
    "Monitoring and the yearly update",
    "Version history",
    "Sign-offs",
)


def invoke(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def officer_client(client):
    user = support.staff("compliance", "Casey Compliance")
    sign_in(client, f"s:{user.id}:{user.session_version}")
    return user


def test_the_document_page_has_every_section_from_the_live_policy(client, app):
    support.signed_policy()
    support.catalog()
    officer_client(client)
    page = client.get("/compliance/document").get_data(as_text=True)
    for section in SECTIONS:
        assert section in page, section
    assert "<td>Water bottle</td>" in page and "<td>$12.00</td>" in page
    assert "Texas Occupations Code 102.001" in page
    assert "Policy version 1 is in effect" in page
    assert "Thank you from" in page  # the thank-you email as sent
    assert "intact; 2 events verified." in page
    document = page.split('<article class="program-document')[1]
    assert "<script" not in document and "style=" not in document


def test_changing_the_policy_changes_the_document(runner, app, tmp_path):
    support.signed_policy()
    support.catalog()
    before = tmp_path / "before.md"
    invoke(runner, "compliance", "document", "--out", str(before))
    assert "Annual cap per member: $75.00." in before.read_text()

    rules = default_rules("NC")
    rules["annual_cap_cents"] = 5000
    officer = PolicyVersion.get().signed_by
    version = versions.create_version(rules, "cli", officer, "Counsel asked for less")
    versions.sign_version(version, officer, "cli")
    after = tmp_path / "after.md"
    result = invoke(runner, "compliance", "document", "--out", str(after))
    text = after.read_text()
    assert "program document written" in result.output and "(md)" in result.output
    assert "Annual cap per member: $50.00." in text
    assert "| 2 | active |" in text and "| 1 | superseded |" in text
    assert "Counsel asked for less" in text


def test_the_html_file_is_the_markdown_rendered_with_print_styles(
    runner, app, tmp_path
):
    support.signed_policy()
    support.catalog()
    out = tmp_path / "program.html"
    invoke(runner, "compliance", "document", "--out", str(out))
    html = out.read_text()
    assert html.startswith("<!doctype html>")
    assert "@media print" in html and "<table>" in html
    assert "<h2>5. Recognition catalog, values and caps</h2>" in html
    as_markdown = tmp_path / "program.txt"
    invoke(
        runner, "compliance", "document", "--out", str(as_markdown), "--format", "md"
    )
    assert as_markdown.read_text().startswith("# Patient referral")
    exported = AuditEvent.select().where(AuditEvent.action == "document.exported")
    assert [e.detail["format"] for e in exported] == ["html", "md"]


def test_an_item_name_cannot_inject_markup_into_the_document(client, app):
    support.signed_policy()
    support.item("branded_item", 500, name="<img src=x onerror=alert(1)> | *mug*")
    officer_client(client)
    page = client.get("/compliance/document").get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; | *mug*" in page


def test_the_download_allows_only_its_own_style_block(client, app):
    support.signed_policy()
    officer_client(client)
    response = client.get("/compliance/document.html")
    html = response.get_data(as_text=True)
    style = re.search(r"<style>(.*)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    assert f"style-src 'sha256-{digest}'" in policy
    assert "script-src" not in policy and "default-src 'none'" in policy
    assert response.headers["Content-Disposition"].endswith('.html"')
    markdown = client.get("/compliance/document.md")
    assert markdown.mimetype == "text/markdown"
    assert client.get("/compliance/document.pdf").status_code == 404


def test_policy_commands_create_sign_and_show(runner, app):
    support.staff("compliance", "Casey Compliance")
    officer = support.staff("compliance")
    result = invoke(runner, "policy", "init", "--state", "tx")
    assert "policy version 1 created, awaiting sign-off" in result.output
    assert PolicyVersion.get().rules["home_state"] == "TX"
    refused = runner.invoke(main, ["policy", "sign", "1", "--by", "nobody@x.example"])
    assert refused.exit_code == 1 and "no staff user" in refused.output
    signed = invoke(runner, "policy", "sign", "1", "--by", officer.email)
    assert "signed and in effect" in signed.output
    shown = invoke(runner, "policy", "show")
    assert (
        "# version 1 (active)" in shown.output
        and '"annual_cap_cents": 7500' in shown.output
    )
    assert "1\tactive\tsigned" in invoke(runner, "policy", "versions").output
    again = runner.invoke(main, ["policy", "init"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_audit_export_command_writes_json_lines(runner, app, tmp_path):
    support.signed_policy()
    out = tmp_path / "audit.jsonl"
    result = invoke(runner, "compliance", "audit-export", "--out", str(out))
    assert "audit event(s) written" in result.output and "(jsonl)" in result.output
    assert len(out.read_text().splitlines()) == 2
    assert AuditEvent.select().where(AuditEvent.action == "audit.exported").count() == 1


def test_every_email_template_is_shown_to_counsel_as_it_is_sent(client, app):
    """Each sample renders, and only marketing mail carries the marketing line."""
    from pathlib import Path

    from portal.compliance.document import sample_messages

    samples = {sample["name"]: sample for sample in sample_messages()}
    folder = Path(app.template_folder) / "email"
    assert set(samples) == {
        p.stem for p in folder.glob("*.txt") if not p.stem.startswith("_")
    }
    for name, sample in samples.items():
        assert sample["subject"], name
        assert "could not be rendered" not in sample["text"], name
    marketing_line = "Unsubscribe from these emails"
    for name in ("prompt", "invitation"):
        assert marketing_line in samples[name]["text"], name
    for name in ("sign_in", "signup_confirmation", "survey", "recovery_alerts"):
        assert marketing_line not in samples[name]["text"], name
    assert "10: [single-use link for 10]" in samples["survey"]["text"]
    assert "1 of them asked to be contacted." in samples["recovery_alerts"]["text"]

    officer_client(client)
    page = client.get("/compliance/document").get_data(as_text=True)
    assert "could not be rendered" not in page
    assert "Service recovery: 1 patient asked to be contacted" in page
