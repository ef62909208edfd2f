"""The worker's sign-in task."""

from portal.accounts import signin
from portal.tasks import app_context, huey


@huey.task()
def send_sign_in_link(email, next_url=""):
    """Look the address up and email a link if it belongs to someone.

    The lookup happens here, not in the request, so the sign-in page answers
    a known and an unknown address with the same work and the same timing.
    """
    with app_context():
        signin.send_link(email, next_url)
