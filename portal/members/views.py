"""Views of the members area."""

from portal.members import bp  # noqa: F401
