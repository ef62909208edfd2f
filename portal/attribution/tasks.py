"""Background work for webhooks: a delivery run per destination, and a sweep."""

from huey import crontab

from portal.attribution import webhooks
from portal.tasks import app_context, huey


@huey.task()
def deliver_task(destination_id):
    """Send the destination's due events, in order; carry on if more are waiting."""
    with app_context():
        sent = webhooks.deliver_destination(destination_id)
    if sent >= webhooks.BATCH:
        # A long backlog (a replay, a receiver back after a day) goes out in
        # batches, each a task of its own, rather than one a minute.
        deliver_task(destination_id)
    return sent


@huey.periodic_task(crontab(minute="*"))
def sweep_task():
    """Every minute: retry what is due and pick up any delivery never kicked."""
    with app_context():
        return webhooks.sweep()
