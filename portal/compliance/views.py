"""Views of the compliance area."""

from portal.compliance import bp  # noqa: F401
