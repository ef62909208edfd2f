"""Referral page sources, the static build and the links commands."""

import pytest

from portal.cli import main
from portal.landing import content
from portal.models import AuditEvent, Location, Member, PracticeSettings, ServiceLine
from portal.referrals import links


def test_front_matter_and_markdown_are_parsed(tmp_path):
    source = content.parse(
        "---\ntitle: Hello {practice}\nsummary: One line\n---\nSome *care*.\n"
    )
    assert (source.title, source.summary) == ("Hello {practice}", "One line")
    assert source.body == "Some *care*."
    html = content.render_markdown("<script>x()</script> **{practice}**", "Maple")
    assert "<script>" not in html and "<strong>Maple</strong>" in html


def test_every_source_has_a_title_and_both_languages():
    folders = [p for p in content.SOURCES.iterdir() if p.is_dir()]
    assert {p.name for p in folders} >= {"general", "primary-care", "pediatrics"}
    for folder in folders:
        for language in content.LANGUAGES:
            source = content.load(folder.name, language)
            assert source.title and source.body, (folder.name, language)


@pytest.fixture
def practice(app):
    PracticeSettings.create(id=1, name="Maple Grove", brand_primary="#123456")
    ServiceLine.create(name="Pediatrics", slug="pediatrics", position=1)
    ServiceLine.create(name="Travel", slug="travel", description="Shots & advice")
    ServiceLine.create(name="Hidden", slug="hidden", referral_enabled=False)
    Location.create(name="Downtown", slug="downtown")


def test_the_build_writes_plain_pages_that_post_to_the_portal(
    runner, practice, tmp_path
):
    out = tmp_path / "site"
    result = runner.invoke(main, ["landing", "build", "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert "6 page(s) written" in result.output
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert pages == [
        "es/index.html",
        "es/pediatrics/index.html",
        "es/travel/index.html",
        "index.html",
        "pediatrics/index.html",
        "travel/index.html",
    ]
    html = (out / "pediatrics" / "index.html").read_text()
    assert '<form method="post" action="http://portal.test/join"' in html
    assert "data-fill-from-address" in html and "csrf_token" not in html
    assert 'src="../assets/referrals.js"' in html and "<script>" not in html
    assert "form-action http://portal.test" in html
    assert "Pediatric care for growing families" in html
    assert '<option value="pediatrics" selected>' in html
    assert 'name="code"' in html and 'name="website"' in html
    assert "style=" not in html
    travel = (out / "es" / "travel" / "index.html").read_text()
    assert '<html lang="es">' in travel and "Shots &amp; advice" in travel
    assert "Pedir una cita" in travel and "Código de recomendación" in travel
    assert "--brand: #123456" in (out / "assets" / "brand.css").read_text()
    assert (out / "assets" / "site.css").stat().st_size > 1000
    script = (out / "assets" / "referrals.js").read_text()
    assert 'params.get("ref")' in script


def test_links_show_prints_the_referral_address(runner, app):
    member = Member.create(email="ana@example.com", first_name="Ana")
    result = runner.invoke(main, ["links", "show", "ANA@example.com"])
    link = links.primary_link(member)
    assert result.exit_code == 0
    assert result.output.strip() == f"http://portal.test/r/{link.code}"
    tagged = runner.invoke(
        main, ["links", "show", "ana@example.com", "--channel", "print"]
    )
    assert tagged.output.strip().endswith("?c=print")
    missing = runner.invoke(main, ["links", "show", "nobody@example.com"])
    assert missing.exit_code == 1 and "no member" in missing.output


def test_links_per_service_line_and_revocation(runner, app):
    member = Member.create(email="ana@example.com", first_name="Ana")
    ServiceLine.create(name="Pediatrics", slug="pediatrics")
    ServiceLine.create(name="Behavioral", slug="behavioral", sensitive=True)
    line = runner.invoke(
        main, ["links", "show", "ana@example.com", "--service-line", "pediatrics"]
    )
    assert line.exit_code == 0
    refused = runner.invoke(
        main, ["links", "show", "ana@example.com", "--service-line", "behavioral"]
    )
    assert refused.exit_code == 1 and "sensitive" in refused.output
    listing = runner.invoke(main, ["links", "list", "ana@example.com"]).output
    assert "pediatrics" in listing

    code = links.primary_link(member).code
    revoked = runner.invoke(main, ["links", "revoke", code.lower()])
    assert revoked.exit_code == 0
    assert links.find_active(code) is None
    event = AuditEvent.get(AuditEvent.action == "link.revoked")
    assert event.actor == "cli" and event.detail == {"member": member.id}
    again = runner.invoke(main, ["links", "revoke", code])
    assert again.exit_code == 1
