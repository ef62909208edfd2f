"""POST /api/v1/visits and /api/v1/signals: visits and satisfaction signals in.

Each item of a batch is accepted or rejected on its own; the answer lists the
rejected ones with their reasons. Repeats (by external id) change nothing.
"""

from typing import Any

from flask import jsonify
from pydantic import BaseModel, Field

from portal.api import bp
from portal.api.keys import key_required
from portal.api.schema import operation, parse
from portal.prompts import intake, signals, tasks

MAX = intake.MAX_BATCH


class VisitBatch(BaseModel):
    """Up to 1,000 visits; a visit may carry its satisfaction signal."""

    visits: list[intake.VisitIn] = Field(min_length=1, max_length=MAX)


class SignalBatch(BaseModel):
    """Up to 1,000 signals for visits sent earlier."""

    signals: list[intake.SignalItem] = Field(min_length=1, max_length=MAX)


class _RawVisits(BaseModel):
    visits: list[Any] = Field(min_length=1, max_length=MAX)


class _RawSignals(BaseModel):
    signals: list[Any] = Field(min_length=1, max_length=MAX)


class Problem(BaseModel):
    field: str
    message: str


class Rejected(BaseModel):
    index: int
    external_id: str | None
    errors: list[Problem]


class PromptCounts(BaseModel):
    scheduled: int
    suppressed: int


class IngestResult(BaseModel):
    """What happened to a batch: counts, and every rejected item with reasons."""

    received: int
    created: int
    unchanged: int
    rejected: list[Rejected]
    prompts: PromptCounts
    recovery_alerts: int
    surveys_scheduled: int


def _answer(report):
    tasks.schedule(report.due)
    return jsonify(IngestResult.model_validate(report.as_dict()).model_dump())


@bp.post("/visits")
@key_required("ingest")
@operation(
    "POST",
    "/api/v1/visits",
    "Record completed visits, each with an optional satisfaction signal",
    scope="ingest",
    body=VisitBatch,
    responses={200: IngestResult},
    tag="visits",
)
def post_visits():
    batch = parse(_RawVisits)
    return _answer(intake.ingest_visits(batch.visits, source="api"))


@bp.post("/signals")
@key_required("ingest")
@operation(
    "POST",
    "/api/v1/signals",
    "Add satisfaction signals to visits sent earlier (e.g. a survey webhook)",
    scope="ingest",
    body=SignalBatch,
    responses={200: IngestResult},
    tag="visits",
)
def post_signals():
    batch = parse(_RawSignals)
    return _answer(signals.ingest_signals(batch.signals, source="api"))
