"""The worker's email tasks: deliver one row, and sweep for any left behind."""

from huey import crontab

from portal.mail import delivery
from portal.tasks import app_context, huey


@huey.task()
def deliver_message(message_id):
    """Deliver one outbox row (a no-op if another worker claimed it)."""
    with app_context():
        return delivery.deliver(message_id)


@huey.periodic_task(crontab(minute="*"))
def sweep_outbox():
    """Deliver due pending rows every minute, so nothing waits on a dead worker."""
    with app_context():
        return delivery.sweep()
