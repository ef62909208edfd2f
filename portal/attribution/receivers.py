"""Turn domain events into attribution events, inside the sender's transaction."""

from portal import events
from portal.attribution import feed, payloads


@events.signup_created.connect
def on_signup_created(signup, **extra):
    feed.record(
        feed.SIGNUP_CREATED,
        payloads.signup_facts(signup),
        signup_id=signup.id,
        occurred_at=signup.created_at,
    )


@events.signup_status_changed.connect
def on_signup_status_changed(signup, old_status=None, new_status=None, **extra):
    feed.record(
        feed.SIGNUP_STATUS_CHANGED,
        payloads.status_change(signup, old_status, new_status or signup.status),
        signup_id=signup.id,
    )


@events.prompt_sent.connect
def on_prompt_sent(prompt, **extra):
    feed.record(feed.PROMPT_SENT, payloads.prompt_sent(prompt))


@events.recognition_approved.connect
def on_recognition_approved(recognition, **extra):
    feed.record(
        feed.RECOGNITION_APPROVED,
        payloads.recognition_approved(recognition),
        signup_id=recognition.signup_id,
    )


@events.invitation_accepted.connect
def on_invitation_accepted(invitation, signup=None, **extra):
    feed.record(
        feed.INVITATION_ACCEPTED,
        payloads.invitation_accepted(invitation, signup),
        signup_id=signup.id if signup is not None else None,
    )
