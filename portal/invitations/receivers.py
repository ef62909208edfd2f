"""What member-get-member does when other areas announce something."""

from portal import events
from portal.invitations.service import enrol


@events.signup_status_changed.connect
def _enrol_new_member(signup, old_status=None, new_status=None, **_):
    # A membership sign-up that staff mark as joined becomes an active member,
    # which starts the plan's cancellation window.
    if new_status == "became_patient":
        enrol(signup)
