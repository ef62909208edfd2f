from flask import jsonify

from portal.api import attribution as _attribution  # noqa: F401
from portal.api import bp
from portal.api import signups as _signups  # noqa: F401
from portal.api import visits as _visits  # noqa: F401
from portal.api.keys import ApiError
from portal.api.schema import document
from portal.web import error_response


@bp.errorhandler(ApiError)
def _api_error(exc):
    return error_response(exc.status, exc.code, exc.message, exc.details)


@bp.get("/openapi.json")
def openapi():
    return jsonify(document("Ambassador Portal API", "1.0.0"))
