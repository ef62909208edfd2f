"""Policy versions, the audit log and the counsel program document."""

from flask import Blueprint

bp = Blueprint("compliance", __name__, url_prefix="/compliance")

from portal.compliance import (  # noqa: E402,F401
    audit_views,
    catalog_views,
    document_views,
    views,
)
