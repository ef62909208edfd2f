"""Views of the reports area."""

from portal.reports import bp  # noqa: F401
