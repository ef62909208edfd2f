"""First-run setup of a practice."""

from flask import Blueprint

bp = Blueprint("setup", __name__, url_prefix="/setup")

from portal.setup import views  # noqa: E402,F401
