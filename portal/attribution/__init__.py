"""Attribution events, the pull feed and webhook delivery."""

from flask import Blueprint

bp = Blueprint("attribution", __name__)

from portal.attribution import receivers, tasks, views  # noqa: E402,F401
