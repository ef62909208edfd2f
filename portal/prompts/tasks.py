"""Background work for prompts: a delayed run when something falls due, and a sweep.

The delayed run makes prompts go out on time; the sweep every five minutes
catches anything a lost task or a stopped worker left behind. Managers hear of
new service-recovery alerts on the same five-minute beat.
"""

import logging
from datetime import UTC, timedelta

from huey import crontab

from portal.tasks import app_context, huey

log = logging.getLogger("portal")
# Due times are grouped into five-minute slots: one queued task per slot.
SLOT_MINUTES = 5


@huey.task()
def deliver_due():
    """Send what is due now."""
    from portal.prompts import delivery

    with app_context():
        delivery.run_due()


@huey.periodic_task(crontab(minute=f"*/{SLOT_MINUTES}"))
def sweep():
    """Send anything due that no delayed run picked up."""
    from portal.prompts import delivery

    with app_context():
        report = delivery.run_due()
        if report.sent or report.surveys_sent:
            log.info("prompt sweep %s", report)


def slot_of(moment):
    """Return the end of the five-minute slot a naive UTC time falls in."""
    hour = moment.replace(minute=0, second=0, microsecond=0)
    step = timedelta(minutes=SLOT_MINUTES)
    return hour + -(-(moment - hour) // step) * step


def schedule(times):
    """Queue a delivery run for every slot in which something falls due."""
    for slot in sorted({slot_of(t) for t in times if t is not None}):
        try:
            deliver_due.schedule(eta=slot.replace(tzinfo=UTC))
        except Exception:
            log.exception("could not queue a prompt run; the sweep will send it")
            return


@huey.periodic_task(crontab(minute=f"*/{SLOT_MINUTES}"))
def tell_managers_of_alerts():
    """Email managers about service-recovery alerts they have not been told of."""
    from portal.prompts import recovery

    with app_context():
        recovery.notify_staff()
