"""The setup pages: first visit, each step, skipping, settings and the nav entry."""

import io

import pytest
from PIL import Image

from portal.models import (
    AuditEvent,
    CatalogItem,
    Location,
    Member,
    PolicyVersion,
    PracticeSettings,
    PromptRule,
    ServiceLine,
)
from portal.practice import get_settings
from tests.conftest import sign_in
from tests.setup_helpers import PRACTICE, named_practice, staff


def settings_row():
    return PracticeSettings.get_by_id(1)


def actions():
    return [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]


def png(size=(60, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="PNG")
    return out.getvalue()


def test_first_visit_tells_a_visitor_the_portal_is_being_set_up(client):
    html = client.get("/").get_data(as_text=True)
    assert "This portal is being set up" in html
    assert 'href="/login?next=/setup/"' in html
    assert "Sign in to get your referral link" not in html


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_first_visit_leads_an_admin_or_manager_to_setup(client, role):
    staff(client, role)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/setup/"
    assert client.get("/setup/").headers["Location"] == "/setup/practice"


def test_staff_without_settings_rights_see_the_notice_and_no_setup(client):
    staff(client, "staff")
    assert "This portal is being set up" in client.get("/").get_data(as_text=True)
    assert client.get("/setup/practice").status_code == 403


def test_a_named_practice_opens_the_normal_home_page(client):
    get_settings()
    PracticeSettings.update(name="Cedar Ridge Care").execute()
    html = client.get("/").get_data(as_text=True)
    assert "Sign in to get your referral link" in html
    assert "being set up" not in html


def test_practice_step_refuses_a_missing_address_next_to_the_field(client):
    staff(client)
    response = client.post("/setup/practice", data={**PRACTICE, "postal_address": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="err-postal_address">is required<' in html
    assert settings_row().name == ""
    assert "setup.step_done" not in actions()


def test_practice_step_saves_and_moves_on(client):
    staff(client)
    response = client.post("/setup/practice", data=PRACTICE)
    assert response.headers["Location"] == "/setup/services"
    row = settings_row()
    assert (row.name, row.us_state, row.practice_kind) == (
        "Cedar Ridge Care",
        "NC",
        "direct_primary_care",
    )
    assert row.membership_enabled is True
    assert row.setup_progress["steps"]["practice"]["state"] == "done"
    assert row.setup_completed_at is None
    assert {"settings.practice_saved", "setup.step_done"} <= set(actions())
    # Leaving and coming back resumes at the next step.
    assert client.get("/setup/").headers["Location"] == "/setup/services"


def test_services_suggest_lines_for_the_kind_with_sensitive_ones_marked(client):
    named_practice(client)
    html = client.get("/setup/services").get_data(as_text=True)
    assert 'value="Pediatrics"' in html and 'value="Chronic care"' in html
    behavioral = html.index('value="Behavioral health"')
    row = html[behavioral : html.index("</div>\n    </div>", behavioral)]
    assert 'name="line-4-sensitive" value="1" checked' in row
    assert 'value="48 Orchard Lane, Asheville, NC 28801"' in html  # main office


def test_services_save_rows_and_mark_typed_in_sensitive_lines(client):
    named_practice(client)
    form = {
        "line_count": "3",
        "line-0-origin": "suggested",
        "line-0-name": "Primary care",
        "line-0-include": "1",
        "line-1-origin": "suggested",
        "line-1-name": "Pediatrics",  # not ticked: not offered
        "line-2-origin": "new",
        "line-2-name": "Mental health counseling",
        "line-2-include": "1",
        "place_count": "2",
        "place-0-origin": "suggested",
        "place-0-name": "Main office",
        "place-0-address": "48 Orchard Lane",
        "place-0-include": "1",
        "place-1-origin": "new",
        "place-1-name": "",
    }
    response = client.post("/setup/services", data=form)
    assert response.headers["Location"] == "/setup/branding"
    lines = {line.slug: line for line in ServiceLine.select()}
    assert set(lines) == {"primary-care", "mental-health-counseling"}
    assert lines["mental-health-counseling"].sensitive is True
    assert lines["primary-care"].sensitive is False
    assert [p.name for p in Location.select()] == ["Main office"]

    # Unticking an existing line turns it off; its history stays.
    form["line-0-id"] = str(lines["primary-care"].id)
    form["line-0-origin"] = "existing"
    form.pop("line-0-include")
    client.post("/setup/services", data=form)
    assert ServiceLine.get(ServiceLine.slug == "primary-care").active is False
    # Suggestions only start the list: an unticked one does not come back.
    again = client.get("/setup/services").get_data(as_text=True)
    assert 'value="Pediatrics"' not in again


def test_services_refuse_repeated_names(client):
    named_practice(client)
    form = {
        "line_count": "2",
        "line-0-name": "Primary care",
        "line-0-include": "1",
        "line-1-name": "Primary Care",
        "line-1-include": "1",
        "place_count": "0",
    }
    response = client.post("/setup/services", data=form)
    assert response.status_code == 422
    assert "repeats another row&#39;s name" in response.get_data(as_text=True)
    assert ServiceLine.select().count() == 0


def test_branding_refuses_a_light_colour_showing_its_ratio(client, app):
    named_practice(client)
    response = client.post(
        "/setup/branding", data={"primary": "#f2b134", "accent": "#f2b134"}
    )
    assert response.status_code == 422
    assert "contrast ratio of 1.89:1" in response.get_data(as_text=True)
    assert settings_row().brand_primary == "#0b5563"


def test_branding_refuses_an_svg_logo(client):
    named_practice(client)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post(
        "/setup/branding",
        data={"primary": "#1f4e79", "logo": (io.BytesIO(svg), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "SVG files can carry scripts" in response.get_data(as_text=True)
    assert settings_row().logo_path == ""


def test_branding_stores_a_png_logo_and_colours(client, app, tmp_path):
    named_practice(client)
    before = settings_row().updated_at
    response = client.post(
        "/setup/branding",
        data={
            "primary": "#1F4E79",
            "accent": "#f2b134",
            "sender_name": "Cedar Ridge Care",
            "reply_to": "desk@cedar.example",
            "logo": (io.BytesIO(png()), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.headers["Location"] == "/setup/program"
    row = settings_row()
    assert row.brand_primary == "#1f4e79" and row.reply_to == "desk@cedar.example"
    assert row.logo_path.startswith("branding/logo-") and row.updated_at > before
    with client.get("/logo") as served:
        assert served.mimetype == "image/png"
        assert Image.open(io.BytesIO(served.data)).size == (60, 30)
    assert "--brand: #1f4e79" in client.get("/brand.css").get_data(as_text=True)

    old = tmp_path / "instance" / row.logo_path
    client.post(
        "/setup/branding",
        data={"primary": "#1f4e79", "remove_logo": "1"},
        content_type="multipart/form-data",
    )
    assert settings_row().logo_path == "" and not old.exists()


def test_program_in_a_restrictive_state_offers_zero_value_thanks_only(client):
    named_practice(client, us_state="FL")
    html = client.get("/setup/program").get_data(as_text=True)
    assert "Zero-value thanks only." in html
    assert "Florida Statutes 817.505 (patient brokering)" in html
    assert "Branded water bottle" not in html

    response = client.post(
        "/setup/program", data={"catalog": "starter", "prompts": ["default"]}
    )
    assert response.headers["Location"] == "/setup/members"
    version = PolicyVersion.get()
    assert (version.number, version.status, version.signed_at) == (1, "pending", None)
    assert version.rules["home_state"] == "FL"
    assert {t["item_kind"] for t in version.rules["triggers"].values()} == {
        "thank_you_note"
    }
    assert {i.retail_value_cents for i in CatalogItem.select()} == {0}
    assert PromptRule.get(PromptRule.service_line.is_null()).enabled is True


def test_program_elsewhere_starts_modest_items_and_prompt_choices(client):
    named_practice(client)
    sports = ServiceLine.create(name="Sports medicine", slug="sports-medicine")
    ServiceLine.create(
        name="Behavioral health", slug="behavioral-health", sensitive=True
    )
    html = client.get("/setup/program").get_data(as_text=True)
    assert "at most $15.00 per item and $75.00 per member a year" in html
    assert "Behavioral health: never prompted (sensitive)" in html
    client.post("/setup/program", data={"catalog": "starter", "prompts": ["default"]})
    assert CatalogItem.select().count() == 4
    assert PromptRule.get(PromptRule.service_line == sports).enabled is False
    assert PolicyVersion.get().rules["triggers"]["first_visit"]["item_kind"] == (
        "branded_item"
    )
    # A second save keeps the policy and the catalog as they are.
    client.post("/setup/program", data={"catalog": "starter", "prompts": ["default"]})
    assert PolicyVersion.select().count() == 1 and CatalogItem.select().count() == 4


def test_skipping_steps_leaves_nothing_of_value_on(client):
    named_practice(client)
    for step in ("services", "branding", "program"):
        response = client.post(f"/setup/{step}", data={"action": "skip"})
        assert response.status_code == 302
    progress = settings_row().setup_progress["steps"]
    assert {progress[s]["state"] for s in ("services", "branding", "program")} == {
        "skipped"
    }
    assert not PolicyVersion.select().exists()
    assert not CatalogItem.select().exists()
    assert client.get("/setup/").headers["Location"] == "/setup/members"
    checklist = client.get("/setup/golive").get_data(as_text=True)
    assert "no policy yet: nothing of value can be approved" in checklist
    # The practice step cannot be skipped.
    client.post("/setup/practice", data={"action": "skip"})
    assert settings_row().setup_progress["steps"]["practice"]["state"] == "done"


def test_settings_page_is_in_the_menu_and_saves_each_section(client):
    named_practice(client)
    html = client.get("/setup/settings").get_data(as_text=True)
    assert '<a href="/setup/settings" aria-current="page">Settings</a>' in html
    response = client.post(
        "/setup/settings",
        data={"section": "origins", "allowed_origins": "https://www.cedar.example"},
    )
    assert response.headers["Location"] == "/setup/settings"
    assert settings_row().allowed_origins == "https://www.cedar.example"
    response = client.post(
        "/setup/settings", data={"section": "practice", **PRACTICE, "name": ""}
    )
    assert response.status_code == 422
    assert settings_row().name == "Cedar Ridge Care"
    client.post(
        "/setup/settings", data={"section": "practice", **PRACTICE, "name": "Cedar Two"}
    )
    assert settings_row().name == "Cedar Two"


def test_members_cannot_open_setup(client):
    member = Member.create(email="ana@example.com", first_name="Ana")
    sign_in(client, f"m:{member.id}")
    for path in ("/setup/", "/setup/practice", "/setup/settings", "/setup/cards"):
        assert client.get(path).status_code == 403, path
