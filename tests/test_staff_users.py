"""Staff user pages: administrators add staff, change roles and deactivate."""

import pytest

from portal.models import AuditEvent, StaffUser
from tests.conftest import sign_in


@pytest.fixture
def admin(app):
    return StaffUser.create(email="admin@maple.example", role="admin")


@pytest.fixture
def desk(app):
    return StaffUser.create(email="desk@maple.example", role="staff")


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    sign_in(client, f"s:{admin.id}:1")
    return client


def events(action):
    return list(AuditEvent.select().where(AuditEvent.action == action))


def test_admin_sees_every_staff_user(admin_client, desk):
    page = admin_client.get("/staff/users").get_data(as_text=True)
    assert "admin@maple.example" in page and "desk@maple.example" in page
    assert f'action="/staff/users/{desk.id}/deactivate"' in page


def test_admin_adds_a_staff_user_and_it_is_audited(admin_client, admin):
    response = admin_client.post(
        "/staff/users",
        data={"email": " New@Maple.example ", "name": "Nia", "role": "manager"},
        follow_redirects=True,
    )

    assert "Staff user new@maple.example added." in response.get_data(as_text=True)
    user = StaffUser.get(StaffUser.email == "new@maple.example")
    assert (user.name, user.role, user.active) == ("Nia", "manager", True)
    [event] = events("staff.added")
    assert event.actor == f"staff:{admin.id}"
    assert event.subject == f"staff:{user.id}" and event.detail == {"role": "manager"}


def test_adding_twice_or_a_bad_address_shows_the_error_at_the_field(admin_client, desk):
    twice = admin_client.post(
        "/staff/users", data={"email": desk.email, "role": "staff"}
    )
    assert twice.status_code == 400
    assert "A staff user with that email address exists." in twice.get_data(
        as_text=True
    )
    bad = admin_client.post("/staff/users", data={"email": "nope", "role": "staff"})
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.get_data(as_text=True)
    odd_role = admin_client.post(
        "/staff/users", data={"email": "x@maple.example", "role": "owner"}
    )
    assert odd_role.status_code == 400
    assert StaffUser.select().count() == 2 and events("staff.added") == []


def test_changing_a_role_ends_that_persons_sessions(app, admin_client, admin, desk):
    desk_client = app.test_client()
    sign_in(desk_client, f"s:{desk.id}:1")
    assert desk_client.get("/staff/").status_code == 200

    admin_client.post(
        f"/staff/users/{desk.id}/role", data={f"u{desk.id}-role": "manager"}
    )

    changed = StaffUser.get_by_id(desk.id)
    assert changed.role == "manager" and changed.session_version == 2
    assert desk_client.get("/staff/").status_code == 302
    [event] = events("staff.role_changed")
    assert event.detail == {"from": "staff", "to": "manager"}
    assert event.actor == f"staff:{admin.id}" and event.subject == f"staff:{desk.id}"


def test_deactivating_ends_sessions_and_blocks_sign_in(app, admin_client, desk):
    desk_client = app.test_client()
    sign_in(desk_client, f"s:{desk.id}:1")

    admin_client.post(f"/staff/users/{desk.id}/deactivate")

    gone = StaffUser.get_by_id(desk.id)
    assert gone.active is False and gone.session_version == 2
    assert desk_client.get("/staff/").status_code == 302
    assert len(events("staff.deactivated")) == 1

    admin_client.post(f"/staff/users/{desk.id}/reactivate")
    back = StaffUser.get_by_id(desk.id)
    assert back.active is True and back.session_version == 3
    assert len(events("staff.reactivated")) == 1


def test_the_last_administrator_cannot_be_removed(admin_client, admin):
    demoted = admin_client.post(
        f"/staff/users/{admin.id}/role",
        data={f"u{admin.id}-role": "staff"},
        follow_redirects=True,
    )
    assert "at least one active administrator" in demoted.get_data(as_text=True)
    self_off = admin_client.post(
        f"/staff/users/{admin.id}/deactivate", follow_redirects=True
    )
    assert "You cannot deactivate yourself" in self_off.get_data(as_text=True)
    assert StaffUser.get_by_id(admin.id).role == "admin"
    assert StaffUser.get_by_id(admin.id).active is True
    assert events("staff.role_changed") == events("staff.deactivated") == []


@pytest.mark.parametrize("role", ["staff", "manager", "compliance"])
def test_only_administrators_manage_staff(app, desk, role):
    user = StaffUser.create(email=f"{role}2@maple.example", role=role)
    client = app.test_client()
    sign_in(client, f"s:{user.id}:1")
    assert client.get("/staff/users").status_code == 403
    assert (
        client.post("/staff/users", data={"email": "z@maple.example"}).status_code
        == 403
    )
    assert client.post(f"/staff/users/{desk.id}/deactivate").status_code == 403
    assert StaffUser.get_by_id(desk.id).active is True


def test_unknown_staff_user_is_404(admin_client):
    assert admin_client.post("/staff/users/999/deactivate").status_code == 404
