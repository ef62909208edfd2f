"""Tell managers by email when patients are waiting for service recovery.

An alert is only useful if somebody sees it soon. Every few minutes the worker
gathers the open alerts nobody has been told about yet and sends one short
email to each active manager (or, in a practice without one, each admin). The
email names no patient and no score: it counts the alerts and links to the
alerts page, where signed-in staff see the details. An alert is told once,
and once more if the patient then asks to be contacted.
"""

import logging
from dataclasses import dataclass, field

from portal.db import utcnow, write_transaction
from portal.mail import send_email
from portal.models import RecoveryAlert, StaffUser
from portal.web import external_url

log = logging.getLogger("portal")
# The roles told, in order of preference: the first with an active account.
NOTIFIED_ROLES = ("manager", "admin")


@dataclass
class Notice:
    """What one run told: how many alerts, how many asking for a call, to whom."""

    alerts: int = 0
    wants_contact: int = 0
    recipients: list = field(default_factory=list)


def recipients():
    """Return the addresses told about alerts: active managers, else admins."""
    for role in NOTIFIED_ROLES:
        found = [
            staff.email
            for staff in StaffUser.select(StaffUser.email)
            .where(StaffUser.role == role, StaffUser.active == True)  # noqa: E712
            .order_by(StaffUser.id)
        ]
        if found:
            return found
    return []


def notify_staff(now=None):
    """Email managers about open alerts not yet told; return the Notice."""
    now = now or utcnow()
    with write_transaction():
        to = recipients()
        if not to:
            # Nobody to tell: the alerts wait, untold, for the first manager.
            return Notice()
        claimed = (
            RecoveryAlert.update(notified_at=now)
            .where(
                RecoveryAlert.resolved_at.is_null(),
                RecoveryAlert.notified_at.is_null(),
            )
            .execute()
        )
        if not claimed:
            return Notice()
        told = RecoveryAlert.select(RecoveryAlert.wants_contact).where(
            RecoveryAlert.notified_at == now, RecoveryAlert.resolved_at.is_null()
        )
        notice = Notice(
            alerts=told.count(),
            wants_contact=told.where(RecoveryAlert.wants_contact == True).count(),  # noqa: E712
            recipients=to,
        )
        context = {
            "alerts": notice.alerts,
            "wants_contact": notice.wants_contact,
            "alerts_url": external_url("prompts.alerts"),
        }
        for address in to:
            send_email(
                address,
                "recovery_alerts",
                context,
                kind="recovery_alert",
                marketing=False,
            )
    log.info(
        "recovery alerts told alerts=%s wants_contact=%s recipients=%s",
        notice.alerts,
        notice.wants_contact,
        len(to),
    )
    return notice
