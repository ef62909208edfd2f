"""Views of the accounts area."""

from portal.accounts import bp  # noqa: F401
