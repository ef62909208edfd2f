"""Views of the referrals area."""

from portal.referrals import bp  # noqa: F401
