"""Who may be invited, and what counts as a referral: values in, reasons out.

No Flask and no database here: the caller gathers the facts, these functions
judge them, so every limit and exclusion is tested on its own.
"""

from dataclasses import dataclass
from datetime import timedelta

NOTE_LIMIT = 300


@dataclass(frozen=True)
class InviteFacts:
    """What the portal knows when a member asks to invite someone."""

    invitee_email: str
    sent_this_month: int
    monthly_limit: int
    days_since_last_to_address: int | None
    address_window_days: int
    suppressed: bool
    existing_member: bool
    inviter_is_member_of_program: bool
    note: str = ""


def invitation_problems(facts):
    """Return (field, reason code, message) for each rule the invitation breaks."""
    problems = []
    if not facts.inviter_is_member_of_program:
        problems.append(
            ("", "not_a_member", "Only active members can send invitations.")
        )
    if facts.sent_this_month >= facts.monthly_limit:
        problems.append(
            (
                "",
                "monthly_limit",
                f"You have sent {facts.monthly_limit} invitations this month, the "
                "most allowed. You can invite more next month.",
            )
        )
    if len(facts.note) > NOTE_LIMIT:
        problems.append(
            ("note", "note_too_long", f"Keep the note to {NOTE_LIMIT} characters.")
        )
    if facts.suppressed:
        problems.append(
            ("email", "suppressed", "This address has asked not to get our emails.")
        )
    elif facts.existing_member:
        problems.append(
            ("email", "existing_member", "This person is already a member.")
        )
    elif (
        facts.days_since_last_to_address is not None
        and facts.days_since_last_to_address < facts.address_window_days
    ):
        problems.append(
            (
                "email",
                "recently_invited",
                f"This address was invited in the last {facts.address_window_days} "
                "days.",
            )
        )
    return problems


def retained_on(started_on, cancellation_window_days):
    """Return the first day a membership counts as retained."""
    return started_on + timedelta(days=cancellation_window_days)


def is_retained(started_on, cancellation_window_days, status, today):
    """A referred member counts once still active past the cancellation window."""
    if started_on is None or status != "active":
        return False
    return today >= retained_on(started_on, cancellation_window_days)
