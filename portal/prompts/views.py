"""Views of the prompts area."""

from portal.prompts import bp  # noqa: F401
