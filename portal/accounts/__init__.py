"""Sign-in by emailed link, sign-out, staff account pages, and email pages."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from portal.accounts import mail_views, staff_views, views  # noqa: E402,F401
