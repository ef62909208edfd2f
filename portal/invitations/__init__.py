"""Member-get-member: invitations from members, the invitation page, retention."""

from flask import Blueprint

bp = Blueprint("invitations", __name__)

from portal.invitations import receivers, tasks, views  # noqa: E402,F401
