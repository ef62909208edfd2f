"""Views of the members area."""

from portal.members import bp  # noqa: F401
from portal.members import dashboard as _dashboard  # noqa: F401
