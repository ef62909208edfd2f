"""GET /api/v1/attribution/events: the attribution feed, paged by cursor."""

from datetime import datetime
from typing import Any

from flask import jsonify, request
from pydantic import BaseModel, Field

from portal.api import bp
from portal.api.keys import ApiError, key_required
from portal.api.schema import operation
from portal.attribution import feed

DEFAULT_LIMIT = 100


class AttributionEventOut(BaseModel):
    """One attribution event; ``cursor`` is what to pass as ``after`` next."""

    cursor: int
    id: str = Field(description="Stable event id (UUID); use it to deduplicate")
    type: str = Field(description=", ".join(feed.EVENT_TYPES))
    occurred_at: datetime
    data: dict[str, Any]


class AttributionEventPage(BaseModel):
    events: list[AttributionEventOut]
    next_cursor: int = Field(description="Pass as ``after`` for the next page")
    has_more: bool


QUERY = [
    {
        "name": "after",
        "in": "query",
        "required": False,
        "description": "Return events after this cursor (0 or absent: from the start)",
        "schema": {"type": "integer", "minimum": 0, "default": 0},
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": f"At most this many events (1 to {feed.MAX_PAGE})",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": feed.MAX_PAGE,
            "default": DEFAULT_LIMIT,
        },
    },
]


def _whole_number(name, default, low, high):
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ApiError(
            400,
            f"invalid_{name}",
            f"{name} must be a whole number from {low} to {high}.",
            [{"field": name, "message": f"expected {low} to {high}"}],
        )
    return int(raw)


@bp.get("/attribution/events")
@operation(
    "GET",
    "/api/v1/attribution/events",
    "Read attribution events in order, from a cursor",
    scope="export",
    responses={200: AttributionEventPage},
    query=QUERY,
    tag="attribution",
)
@key_required("export")
def attribution_events():
    after = _whole_number("after", 0, 0, 2**63 - 1)
    limit = _whole_number("limit", DEFAULT_LIMIT, 1, feed.MAX_PAGE)
    events, next_cursor, more = feed.page(after, limit)
    result = AttributionEventPage(
        events=[AttributionEventOut(**feed.document(e)) for e in events],
        next_cursor=next_cursor,
        has_more=more,
    )
    return jsonify(result.model_dump(mode="json"))
