"""Sign-in by emailed link, sign-out, and staff account pages."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from portal.accounts import views  # noqa: E402,F401
