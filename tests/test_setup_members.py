"""The members step: preview, column mapping, a dry run naming every bad row, import."""

import io
import time
from pathlib import Path

from portal.models import AuditEvent, Member, PracticeSettings
from portal.setup import member_files
from tests.setup_helpers import named_practice

BAD = (
    "E-mail,Given name,Surname,Mobile,Language\n"
    "ana@example.com,Ana,Alvarez,919 555 0142,en\n"
    "not-an-address,Ben,Brooks,,en\n"
    "carla@example.com,,Chen,,fr\n"
    "dev@example.com,Dev,Diaz,,es\n"
)
GOOD = (
    "E-mail,Given name,Surname,Mobile,Language\n"
    "ana@example.com,Ana,Alvarez,919 555 0142,en\n"
    "ben@example.com,Ben,Brooks,,en\n"
    "carla@example.com,Carla,Chen,,es\n"
    "dev@example.com,Dev,Diaz,,es\n"
)
MAPPING = {
    "map-email": "E-mail",
    "map-first_name": "Given name",
    "map-last_name": "Surname",
    "map-phone": "Mobile",
    "map-preferred_language": "Language",
}


def upload(client, text, name="members.csv"):
    return client.post(
        "/setup/members/upload",
        data={"members_file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


def wait_for_import(client, token, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        html = client.get(f"/setup/members/progress/{token}").get_data(as_text=True)
        if "hx-get" not in html:
            return html
        time.sleep(0.1)
    raise AssertionError("the import did not finish")


def session_token(client):
    with client.session_transaction() as session:
        return session["setup_upload"]


def test_upload_previews_the_first_rows_with_columns_matched_by_name(client):
    named_practice(client)
    assert upload(client, BAD).headers["Location"] == "/setup/members"
    html = client.get("/setup/members").get_data(as_text=True)
    assert "The first rows of members.csv" in html
    assert "<td>not-an-address</td>" in html
    assert '<option value="Given name" selected>' in html
    assert '<option value="Mobile" selected>' in html
    assert not Member.select().exists()


def test_dry_run_reports_every_bad_row_then_a_fixed_file_imports(client, app):
    named_practice(client)
    upload(client, BAD)
    response = client.post("/setup/members/check", data=MAPPING)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "3 problem(s) in 4 rows; nothing was imported." in html
    assert '<td class="num">3</td><td>email</td>' in html
    assert '<td class="num">4</td><td>first_name</td><td>is required</td>' in html
    assert '<td class="num">4</td><td>preferred_language</td>' in html
    assert not Member.select().exists()

    upload(client, GOOD)
    html = client.post("/setup/members/check", data=MAPPING).get_data(as_text=True)
    assert "All 4 rows are ready to import." in html
    assert not Member.select().exists()  # a dry run writes nothing

    token = session_token(client)
    started = client.post("/setup/members/import", headers={"HX-Request": "true"})
    assert "<progress" in started.get_data(as_text=True)
    done = wait_for_import(client, token)
    assert '<progress id="import-bar" max="4" value="4">' in done
    assert "Import finished: 4 new, 0 updated." in done

    members = {m.email: m for m in Member.select()}
    assert set(members) == {
        "ana@example.com",
        "ben@example.com",
        "carla@example.com",
        "dev@example.com",
    }
    assert members["ana@example.com"].phone == "+19195550142"
    assert members["carla@example.com"].preferred_language == "es"
    imported = AuditEvent.get(AuditEvent.action == "members.imported")
    assert imported.detail == {"created": 4, "updated": 0, "via": "setup"}
    steps = PracticeSettings.get_by_id(1).setup_progress["steps"]
    assert steps["members"]["state"] == "done"
    folder = Path(app.instance_path) / member_files.FOLDER
    assert not (folder / f"{token}.csv").exists()  # no patient file left behind
    page = client.get("/setup/members").get_data(as_text=True)
    assert "Import finished: 4 new, 0 updated." in page


def test_mapping_needs_email_and_first_name_once_each(client):
    named_practice(client)
    upload(client, GOOD)
    response = client.post(
        "/setup/members/check",
        data={"map-email": "E-mail", "map-last_name": "E-mail"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="map-first_name-error">needs a column<' in html
    assert "uses the same column as email" in html


def test_progress_of_another_upload_is_not_shown(client):
    named_practice(client)
    upload(client, GOOD)
    assert client.get("/setup/members/progress/" + "x" * 24).status_code == 404


def test_import_reports_progress_as_it_goes(app, client):
    named_practice(client)
    rows = "\n".join(f"m{n}@example.com,M{n}" for n in range(120))
    upload(client, "email,first_name\n" + rows + "\n")
    token = session_token(client)
    seen = []
    real = member_files._set_job

    def spy(token_, job):
        seen.append((job["state"], job["done"]))
        real(token_, job)

    member_files._set_job = spy
    try:
        member_files.run(token, "staff:1")
    finally:
        member_files._set_job = real
    running = [done for state, done in seen if state == "running"]
    assert running == sorted(running) and len(running) >= 10
    assert seen[-1] == ("done", 120)
    assert Member.select().count() == 120


def test_file_without_a_header_is_refused(client):
    named_practice(client)
    upload(client, "")
    html = client.get("/setup/members").get_data(as_text=True)
    assert "The file has no header row" in html


def test_members_step_can_be_skipped(client):
    named_practice(client)
    assert "Upload the members file" in client.get("/setup/members").get_data(
        as_text=True
    )
    client.post("/setup/members", data={"action": "skip"})
    steps = PracticeSettings.get_by_id(1).setup_progress["steps"]
    assert steps["members"]["state"] == "skipped"


def test_anonymous_progress_poll_is_refused(client):
    response = client.get("/setup/members/progress/" + "x" * 24)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
