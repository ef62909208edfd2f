"""Views of the staff area."""

from portal.staff import bp  # noqa: F401
