"""One error shape for the whole API: RFC 9457 problem details (``application/problem+json``)."""
from __future__ import annotations

import logging

import marshmallow as ma
from flask import jsonify
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"


class ProblemSchema(ma.Schema):
    type = ma.fields.String(metadata={"description": "a URI naming the kind of problem"})
    title = ma.fields.String(metadata={"description": "short, human-readable summary"})
    status = ma.fields.Integer()
    detail = ma.fields.String(metadata={"description": "what went wrong with this request"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "validation errors, a list of messages per field"},
    )
    request_id = ma.fields.String()


def problem(status: int, title: str, detail: str, errors: dict | None = None, headers=None):
    from flask import g

    body = {
        "type": f"https://quotes.example/problems/{status}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    if getattr(g, "request_id", None):
        body["request_id"] = g.request_id
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_errors(messages: dict, prefix: str = "") -> dict[str, list[str]]:
    """webargs nests messages per location and field ({"json": {"text": [...]}}): flatten them
    to one list of messages per dotted field name ({"text": [...]})."""
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        if key in ("json", "query", "querystring", "headers", "form", "files") and not prefix:
            name = ""
        else:
            name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(flatten_errors(value, name))
        else:
            values = value if isinstance(value, list) else [value]
            flat.setdefault(name or "_body", []).extend(str(v) for v in values)
    return flat


class ProblemApi(Api):
    """flask-smorest's Api, answering every error as problem+json."""

    ERROR_SCHEMA = ProblemSchema
    PROBLEM_CONTENT_TYPE = "application/problem+json"

    def _register_responses(self):
        """The documented error responses say what is sent: problem+json, not plain JSON."""
        default, self.DEFAULT_RESPONSE_CONTENT_TYPE = (self.DEFAULT_RESPONSE_CONTENT_TYPE,
                                                       self.PROBLEM_CONTENT_TYPE)
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = default

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or data.get("messages")
        detail = data.get("message") or error.description or error.name
        if errors:
            errors = flatten_errors(errors)
            detail = data.get("message") or "The request is not valid: see `errors`."
        return problem(error.code or 500, error.name, detail, errors, data.get("headers"))

    def handle_unexpected(self, error: Exception):
        log.exception("unhandled error")
        return self.handle_http_exception(InternalServerError("An unexpected error occurred."))

    def _register_error_handlers(self):
        super()._register_error_handlers()
        self._app.register_error_handler(Exception, self.handle_unexpected)
