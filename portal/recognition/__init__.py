"""The recognition policy, the catalog, approvals and the value ledger."""

from flask import Blueprint

bp = Blueprint("recognition", __name__, url_prefix="/staff/recognition")

from portal.recognition import member_views, receivers, views  # noqa: E402,F401
