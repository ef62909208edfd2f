"""``portal setup``: the first administrator, and a whole practice from TOML."""

from pathlib import Path

from portal.cli import main
from portal.db import database
from portal.models import (
    AuditEvent,
    CatalogItem,
    Location,
    Member,
    MembershipPlan,
    PolicyVersion,
    PracticeSettings,
    PromptRule,
    ServiceLine,
    StaffUser,
)
from portal.setup.progress import needs_setup
from tests.conftest import make_app

EXAMPLE = Path(__file__).resolve().parent.parent / "portal" / "setup" / "example.toml"

VALID = """
[practice]
name = "Harbor Concierge"
postal_address = "9 Pier Road, Tampa, FL 33602"
timezone = "America/New_York"
us_state = "FL"
kind = "concierge"
membership_enabled = true

[[service_lines]]
name = "Primary care"

[[service_lines]]
name = "Behavioral health"

[[service_lines]]
name = "Executive physicals"
slug = "physicals"

[[locations]]
name = "Harbor office"
address = "9 Pier Road"

[branding]
primary = "#1f4e79"
sender_name = "Harbor Concierge"
reply_to = "desk@harbor.example"

[[membership_plans]]
name = "Annual"
monthly_fee = 250
includes = "Everything"

[program]
catalog = "starter"
prompts = true
no_prompts = ["physicals"]

[members]
csv = "people.csv"

[members.columns]
email = "Email address"
first_name = "First"
plan = "Plan"
"""
PEOPLE = "Email address,First,Plan\nana@example.com,Ana,Annual\nben@example.com,Ben,\n"

INVALID = """
[practice]
name = "Harbor Concierge"
timezone = "Atlantis/Deep"
us_state = "FL"
kind = "spa"
colour = "blue"

[[service_lines]]
name = ""

[[service_lines]]
name = "Primary care"

[[service_lines]]
name = "Primary care"

[branding]
primary = "#f2b134"
reply_to = "nobody"

[[membership_plans]]
name = "Annual"
monthly_fee = "a lot"

[program]
catalog = "generous"
no_prompts = ["dentistry"]

[members]
csv = "people.csv"
"""
BAD_PEOPLE = (
    "email,first_name\nana@example.com,Ana\nnot-an-address,Ben\nana@example.com,\n"
)


def run(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def write(tmp_path, text, people=PEOPLE):
    (tmp_path / "people.csv").write_text(people)
    path = tmp_path / "practice.toml"
    path.write_text(text)
    return str(path)


def test_admin_is_created_and_given_a_sign_in_link_to_setup(runner):
    result = run(runner, "setup", "--admin", "Owner@Harbor.example")
    assert result.exit_code == 0, result.output
    user = StaffUser.get(StaffUser.email == "owner@harbor.example")
    assert user.role == "admin"
    assert "administrator 1 added" in result.output
    link = [line for line in result.output.splitlines() if "/login/" in line][0]
    assert link.startswith("http://portal.test/login/")
    assert "path on this portal: /login/" in result.output

    again = run(runner, "setup", "--admin", "owner@harbor.example")
    assert "staff user 1 is an administrator" in again.output
    assert StaffUser.select().count() == 1


def test_admin_link_signs_in_and_lands_on_setup(runner, client):
    output = run(runner, "setup", "--admin", "owner@harbor.example").output
    link = [line for line in output.splitlines() if "/login/" in line][0]
    response = client.get(link.replace("http://portal.test", ""))
    assert response.headers["Location"] == "/setup/"
    assert client.get("/setup/").headers["Location"] == "/setup/practice"


def test_setup_on_a_new_install_creates_the_tables_first(tmp_path):
    app = make_app(tmp_path, f"sqlite:///{tmp_path / 'new.db'}")
    with app.app_context():
        result = app.test_cli_runner().invoke(main, ["setup", "--admin", "a@b.example"])
        assert result.exit_code == 0, result.output
        assert "applied 0001_initial" in result.output
        assert StaffUser.get().role == "admin"
        database.close()


def test_existing_staff_user_is_made_an_administrator(runner):
    StaffUser.create(email="desk@harbor.example", role="staff")
    result = run(runner, "setup", "--admin", "desk@harbor.example")
    user = StaffUser.get(StaffUser.email == "desk@harbor.example")
    assert user.role == "admin" and user.session_version == 2
    assert "is an administrator" in result.output


def test_setup_needs_an_option(runner):
    result = runner.invoke(main, ["setup"])
    assert result.exit_code == 2
    assert "give --admin EMAIL, --config FILE.toml, or both" in result.output


def test_a_valid_file_sets_the_whole_practice_up(runner, tmp_path):
    result = run(runner, "setup", "--config", write(tmp_path, VALID))
    assert result.exit_code == 0, result.output
    assert "policy: version 1 awaits sign-off by compliance" in result.output
    assert "members: 2 new, 0 updated" in result.output

    row = PracticeSettings.get_by_id(1)
    assert (row.name, row.us_state, row.practice_kind) == (
        "Harbor Concierge",
        "FL",
        "concierge",
    )
    assert row.brand_primary == "#1f4e79" and row.reply_to == "desk@harbor.example"
    assert not needs_setup(row)
    lines = {line.slug: line for line in ServiceLine.select()}
    assert set(lines) == {"primary-care", "behavioral-health", "physicals"}
    assert lines["behavioral-health"].sensitive is True
    assert [p.slug for p in Location.select()] == ["harbor-office"]
    plan = MembershipPlan.get()
    assert (plan.name, plan.monthly_fee_cents) == ("Annual", 25000)

    version = PolicyVersion.get()
    assert version.status == "pending" and version.rules["home_state"] == "FL"
    # Florida: zero-value thanks only, so the starter catalog has nothing of value.
    assert {item.retail_value_cents for item in CatalogItem.select()} == {0}
    rules = {r.service_line_id: r.enabled for r in PromptRule.select()}
    assert rules == {None: True, lines["physicals"].id: False}

    ana = Member.get(Member.email == "ana@example.com")
    assert ana.plan_id == plan.id
    steps = row.setup_progress["steps"]
    assert {s: steps[s]["state"] for s in steps} == {
        "practice": "done",
        "branding": "done",
        "services": "done",
        "program": "done",
        "members": "done",
    }
    assert AuditEvent.select().where(AuditEvent.actor == "cli").count() > 5


def test_applying_the_same_file_twice_updates_in_place(runner, tmp_path):
    path = write(tmp_path, VALID)
    run(runner, "setup", "--config", path)
    result = run(runner, "setup", "--config", path)
    assert result.exit_code == 0, result.output
    assert "policy: kept the existing policy" in result.output
    assert "members: 0 new, 2 updated" in result.output
    assert ServiceLine.select().count() == 3 and MembershipPlan.select().count() == 1
    assert PolicyVersion.select().count() == 1


def test_an_invalid_file_names_every_problem_by_key_and_writes_nothing(
    runner, tmp_path
):
    before = AuditEvent.select().count()
    result = runner.invoke(
        main, ["setup", "--config", write(tmp_path, INVALID, BAD_PEOPLE)]
    )
    assert result.exit_code == 1
    output = result.output
    for expected in (
        "practice.postal_address: is required",
        "practice.timezone: must be a time zone name like America/Chicago",
        "practice.kind: must be one of concierge",
        "practice.colour: is not a known key",
        "service_lines[1].name: is required",
        "service_lines[3].slug: repeats the slug of entry 2",
        "branding.primary: white text on #f2b134 has a contrast ratio of 1.89:1",
        "branding.reply_to:",
        "membership_plans[1].monthly_fee: must be an amount in dollars",
        "program.catalog: must be starter or empty",
        "program.no_prompts: 'dentistry' is not a service line",
        "members.csv: line 3: email:",
        "members.csv: line 4: first_name: is required",
        "members.csv: line 4: email: repeats line 2",
        "nothing was written",
    ):
        assert expected in output, expected
    assert PracticeSettings.select().where(PracticeSettings.name != "").count() == 0
    assert not ServiceLine.select().exists() and not Member.select().exists()
    assert not PolicyVersion.select().exists()
    assert AuditEvent.select().count() == before


def test_an_invalid_file_stops_before_the_admin_is_created(runner, tmp_path):
    path = write(tmp_path, INVALID, BAD_PEOPLE)
    result = runner.invoke(main, ["setup", "--config", path, "--admin", "a@b.example"])
    assert result.exit_code == 1
    assert not StaffUser.select().exists()


def test_broken_toml_is_named(runner, tmp_path):
    result = runner.invoke(main, ["setup", "--config", write(tmp_path, "[practice\n")])
    assert result.exit_code == 1
    assert "file: is not valid TOML" in result.output


def test_the_shipped_example_is_valid_and_applies(runner):
    checked = run(runner, "setup", "--config", str(EXAMPLE), "--check")
    assert "the file is valid; nothing about the practice was written" in checked.output
    assert not ServiceLine.select().exists()
    result = run(runner, "setup", "--config", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert PracticeSettings.get_by_id(1).name == "Cedar Ridge Family Dental"
    assert ServiceLine.get(ServiceLine.slug == "hygiene").name == (
        "Cleanings and hygiene"
    )
    assert CatalogItem.select().count() == 4  # North Carolina is not restrictive
