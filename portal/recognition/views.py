"""Views of the recognition area."""

from portal.recognition import bp  # noqa: F401
