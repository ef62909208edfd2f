"""The first visit to a new install: staff who can set it up are led to setup."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from portal.setup.progress import needs_setup


def first_visit():
    """Return the response for / while the practice is not set up, else None."""
    if not needs_setup():
        return None
    if current_user.is_authenticated and current_user.can("settings"):
        return redirect(url_for("setup.index"))
    return render_template("setup/pending.html")
