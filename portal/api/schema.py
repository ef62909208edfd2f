"""Request parsing with pydantic, and the OpenAPI 3.1 document built from it."""

from dataclasses import dataclass, field

from flask import request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from portal.api.keys import ApiError

REF = "#/components/schemas/{model}"


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str
    details: list[dict] | None = None


class ErrorEnvelope(BaseModel):
    """Every API error has this shape."""

    error: ErrorBody


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    scope: str | None
    body: type[BaseModel] | None
    responses: dict = field(default_factory=dict)
    query: list = field(default_factory=list)
    tag: str = "portal"


OPERATIONS: list[Operation] = []


def operation(method, path, summary, scope=None, body=None, responses=None, **extra):
    """Describe a route for the OpenAPI document; the route itself is unchanged."""

    def decorator(view):
        OPERATIONS.append(
            Operation(method, path, summary, scope, body, responses or {}, **extra)
        )
        return view

    return decorator


def parse(model):
    """Validate the JSON body against model, or raise a 422 listing each problem."""
    payload = request.get_json(silent=True)
    if payload is None:
        raise ApiError(400, "invalid_json", "The body must be a JSON document.")
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise ApiError(
            422, "invalid_request", "The request has invalid fields.", problems(exc)
        ) from None


def problems(exc):
    """Turn a pydantic error into a list of {field, message}, without the input."""
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "body", "message": err["msg"]}
        for err in exc.errors()
    ]


def document(title, version):
    """Build the OpenAPI 3.1 document from every registered operation."""
    models = {ErrorEnvelope}
    for op in OPERATIONS:
        if op.body:
            models.add(op.body)
        models.update(m for m in op.responses.values() if m)
    ordered = sorted(models, key=lambda m: m.__name__)
    _, top = models_json_schema([(m, "validation") for m in ordered], ref_template=REF)
    schemas = dict(top.get("$defs", {}))
    paths = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _describe(op)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
        },
    }


def _describe(op):
    error = {
        "description": "An error, in the shared envelope",
        "content": {"application/json": {"schema": _ref(ErrorEnvelope)}},
    }
    responses = {}
    for status, model in op.responses.items():
        entry = {"description": "Success" if str(status).startswith("2") else "Error"}
        if model:
            entry["content"] = {"application/json": {"schema": _ref(model)}}
        responses[str(status)] = entry
    for status in ("400", "401", "403", "404", "422", "429"):
        responses.setdefault(status, error)
    described = {
        "summary": op.summary,
        "operationId": f"{op.method.lower()}_{op.path.strip('/').replace('/', '_')}",
        "tags": [op.tag],
        "responses": responses,
    }
    if op.scope:
        described["security"] = [{"apiKey": []}]
        described["description"] = f"Needs an API key of scope `{op.scope}`."
    if op.body:
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(op.body)}},
        }
    if op.query:
        described["parameters"] = op.query
    return described


def _ref(model):
    return {"$ref": REF.format(model=model.__name__)}
