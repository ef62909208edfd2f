"""Helpers for the setup tests: a signed-in manager and a named practice."""

from portal.models import StaffUser
from tests.conftest import sign_in

PRACTICE = {
    "name": "Cedar Ridge Care",
    "postal_address": "48 Orchard Lane, Asheville, NC 28801",
    "timezone": "America/New_York",
    "us_state": "NC",
    "kind": "direct_primary_care",
    "membership_enabled": "1",
}


def staff(client, role="manager", email="manager@cedar.example"):
    """Create a staff user with the role and sign the client in as them."""
    user = StaffUser.create(email=email, role=role)
    sign_in(client, f"s:{user.id}:1")
    return user


def named_practice(client, **changes):
    """Sign in a manager and save the practice step."""
    user = staff(client)
    response = client.post("/setup/practice", data={**PRACTICE, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)
    return user
