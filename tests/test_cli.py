"""The portal command: members files, staff, demo data and the audit chain."""

from portal import audit, demo
from portal.cli import main
from portal.models import (
    AuditEvent,
    Member,
    ReferralLink,
    SatisfactionSignal,
    SignUp,
    StaffUser,
    Visit,
)

GOOD = """email,first_name,last_name,phone,preferred_language,payer_category
ana@example.com,Ana,Lopez,(919) 555-0101,es,medicare
ben@example.com,Ben,Chen,,en,commercial
"""
ONE_BAD = GOOD + "not-an-email,Carla,Diaz,12,fr,commercial\n"


def invoke(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_help_lists_the_commands(runner):
    result = invoke(runner, "--help")
    for command in ("db", "demo", "staff", "members", "audit"):
        assert command in result.output


def test_members_import_with_one_bad_row_imports_nothing(runner, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(ONE_BAD)
    result = invoke(runner, "members", "import", str(path))
    assert result.exit_code == 1
    assert "nothing was imported" in result.output
    assert "line 4: email:" in result.output
    assert "line 4: phone:" in result.output
    assert "line 4: preferred_language: must be en or es" in result.output
    assert Member.select().count() == 0


def test_members_import_writes_every_row_and_normalises(runner, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(GOOD)
    result = invoke(runner, "members", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "2 new, 0 updated" in result.output
    ana = Member.get(Member.email == "ana@example.com")
    assert ana.phone == "+19195550101"
    assert ana.preferred_language == "es" and ana.payer_category == "medicare"
    again = invoke(runner, "members", "import", str(path))
    assert "0 new, 2 updated" in again.output
    assert Member.select().count() == 2


def test_members_import_reports_repeated_addresses(runner, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(GOOD + "ANA@example.com,Ana,Again,,en,commercial\n")
    result = invoke(runner, "members", "import", str(path))
    assert result.exit_code == 1
    assert "line 4: email: repeats line 2" in result.output


def test_members_import_names_a_missing_column(runner, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("first_name\nAna\n")
    result = invoke(runner, "members", "import", str(path))
    assert result.exit_code == 1
    assert "line 1: email: column is missing" in result.output


def test_members_add_validates_the_address(runner):
    result = invoke(runner, "members", "add", "nope", "--first-name", "Ana")
    assert result.exit_code == 1 and "email" in result.output
    result = invoke(runner, "members", "add", "Ana@Example.com", "--first-name", "Ana")
    assert result.exit_code == 0
    assert Member.get().email == "ana@example.com"


def test_staff_add_creates_and_changes_role_with_an_audit_event(runner):
    invoke(runner, "staff", "add", "Lee@Practice.example", "--role", "manager")
    staff = StaffUser.get()
    assert (staff.email, staff.role) == ("lee@practice.example", "manager")
    invoke(runner, "staff", "add", "lee@practice.example", "--role", "admin")
    staff = StaffUser.get()
    assert staff.role == "admin" and staff.session_version == 2
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == ["staff.added", "staff.role_changed"]


def test_demo_loads_a_year_of_data_once(runner):
    first = invoke(runner, "demo")
    assert "demo practice loaded" in first.output
    counts = [
        m.select().count()
        for m in (Member, StaffUser, Visit, SatisfactionSignal, SignUp, ReferralLink)
    ]
    second = invoke(runner, "demo")
    assert "already loaded" in second.output
    assert counts == [
        m.select().count()
        for m in (Member, StaffUser, Visit, SatisfactionSignal, SignUp, ReferralLink)
    ]
    became = SignUp.select().where(SignUp.status == "became_patient")
    assert counts[0] == demo.MEMBERS + became.count()  # new patients are members
    assert all(signup.member_id for signup in became)
    assert Visit.select().where(Visit.source == "demo").count() > 1500
    oldest = Visit.select().order_by(Visit.visited_at).first().visited_at
    newest = Visit.select().order_by(Visit.visited_at.desc()).first().visited_at
    assert (newest - oldest).days > 300


def test_audit_verify_names_the_tampered_event(runner):
    for n in range(5):
        audit.record("cli", "test.event", f"thing:{n}", {"n": n})
    assert invoke(runner, "audit", "verify").exit_code == 0
    third = AuditEvent.select().order_by(AuditEvent.id).offset(2).first()
    AuditEvent.update(detail={"n": 99}).where(AuditEvent.id == third.id).execute()
    result = invoke(runner, "audit", "verify")
    assert result.exit_code == 1
    assert f"audit event {third.id} content does not match its hash" in result.output


def test_db_upgrade_twice_says_up_to_date(runner):
    from portal import migrations
    from portal.db import database
    from portal.models import MODELS

    database.drop_tables(MODELS, cascade=migrations.dialect(database) == "postgres")
    database.execute_sql(f"DROP TABLE IF EXISTS {migrations.TABLE}")
    assert "applied 0001_initial" in invoke(runner, "db", "upgrade").output
    assert "database is up to date" in invoke(runner, "db", "upgrade").output
