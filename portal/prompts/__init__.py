"""Visit and signal intake, the prompt decision, the built-in survey."""

from flask import Blueprint

bp = Blueprint("prompts", __name__)

from portal.prompts import views  # noqa: E402,F401
