"""The daily check for referred members who stayed past the cancellation window."""

from huey import crontab

from portal.invitations.service import retention_sweep
from portal.tasks import app_context, huey


@huey.periodic_task(crontab(minute="15", hour="*/6"))
def sweep_retention():
    with app_context():
        return retention_sweep()
