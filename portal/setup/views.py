"""Views of the setup area."""

from portal.setup import bp  # noqa: F401
