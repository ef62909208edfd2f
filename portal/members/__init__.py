"""The member's own pages: referral link, QR, sharing, invitations."""

from flask import Blueprint

bp = Blueprint("members", __name__, url_prefix="/me")

from portal.members import views  # noqa: E402,F401
