"""Public pages every visitor can reach: home, health, language, statements."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from portal.main import context, views  # noqa: E402,F401


def init_app(app):
    context.init_app(app)
