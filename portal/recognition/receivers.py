"""Turn the events of other areas into proposed recognitions."""

import logging

from portal import events
from portal.db import database
from portal.recognition import workflow

log = logging.getLogger("portal")

VISIT_STATUSES = ("seen", "became_patient")


def _propose_safely(signup, trigger):
    # A fault here must never undo the sign-up or status change that caused it,
    # so the proposal runs in its own savepoint and a failure is only logged.
    if signup.ambassador_id is None:
        return None
    try:
        with database.atomic():
            return workflow.propose(signup.ambassador, trigger, signup)
    except Exception:
        log.exception(
            "recognition proposal failed signup=%s trigger=%s", signup.id, trigger
        )
        return None


@events.signup_created.connect
def on_signup_created(signup, **_):
    _propose_safely(signup, "referred_signup")


@events.signup_status_changed.connect
def on_signup_status_changed(signup, old_status=None, new_status=None, **_):
    # Seen, then became a patient: both mean a first visit; propose() keeps it
    # to one recognition per sign-up.
    if new_status in VISIT_STATUSES:
        _propose_safely(signup, "first_visit")


@events.membership_retained.connect
def on_membership_retained(signup, **_):
    _propose_safely(signup, "membership_retained")
