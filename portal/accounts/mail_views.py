"""Unsubscribe links, and the staff page for email that could not be delivered."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import audit
from portal.accounts import bp
from portal.accounts.forms import RetryForm
from portal.accounts.users import actor, permission_required
from portal.db import database
from portal.extensions import csrf
from portal.mail import delivery
from portal.mail import unsubscribe as unsubscribing
from portal.mail.compose import enqueue
from portal.models import OutboxMessage

OUTBOX_PAGE = 200


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


@bp.get("/staff/outbox")
@permission_required("mail")
def outbox():
    """List email that failed or is still waiting, newest first."""
    messages = (
        OutboxMessage.select()
        .where(OutboxMessage.status.in_(("failed", "pending", "sending")))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(OUTBOX_PAGE)
    )
    return render_template(
        "accounts/outbox.html", messages=list(messages), form=RetryForm()
    )


@bp.post("/staff/outbox/<int:message_id>/retry")
@permission_required("mail")
def outbox_retry(message_id):
    """Queue a failed message again with a fresh set of attempts."""
    if not RetryForm().validate_on_submit():
        abort(400)
    if delivery.retry(message_id):
        audit.record(actor(), "email.retried", f"outbox:{message_id}")
        database.after_commit(lambda: enqueue(message_id))
        flash(_("The message is queued to be sent again."), "success")
    else:
        flash(_("That message is not waiting for a retry."), "error")
    return redirect(url_for("accounts.outbox"))
