"""Views of the staff area."""

from portal.staff import bp  # noqa: F401
from portal.staff import links as _links  # noqa: F401
from portal.staff import signups as _signups  # noqa: F401
