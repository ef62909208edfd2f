"""Views of the attribution area."""

from portal.attribution import bp  # noqa: F401
