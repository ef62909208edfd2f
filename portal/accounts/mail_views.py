"""Unsubscribe links, and the staff page for email that could not be delivered."""

from flask import abort, render_template, request

from portal import audit
from portal.accounts import bp
from portal.accounts.users import actor
from portal.extensions import csrf
from portal.mail import unsubscribe as unsubscribing


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients send the one-click POST with no session or token
def unsubscribe(token):
    """GET asks to confirm; POST (from the page or a mail client) records it."""
    message = unsubscribing.message_for_token(token)
    if message is None:
        abort(404)
    if request.method == "GET":
        return render_template("accounts/unsubscribe.html", token=token, done=False)

    if unsubscribing.suppress(message.to_email):
        audit.record(actor(), "email.unsubscribed", f"outbox:{message.id}")
    return render_template("accounts/unsubscribe.html", token=token, done=True)
