"""Per-request plumbing: request ids, early refusal of bodies that are not JSON text."""
from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, g, request

from service.errors import problem

log = logging.getLogger("service.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# No body the API takes nests more than a few levels (a batch of articles, a ninjs document):
# far below the ~1,000 levels at which Python's JSON parser and encoder give up.
MAX_NESTING = 64


def assign_request_id():
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
    g.started = time.perf_counter()


def refuse_non_json_bodies():
    """A body must be JSON, in UTF-8: anything else is refused before it reaches a view."""
    if request.method not in ("POST", "PUT", "PATCH") or not request.content_length:
        return None
    if not request.is_json:
        return problem(415, "Unsupported Media Type",
                       "Send the body as JSON with `Content-Type: application/json`.")
    try:
        request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as exc:
        return problem(400, "Bad Request", f"The body is not valid UTF-8 (byte {exc.start}).")
    try:
        body = request.get_json(silent=True)  # silent: webargs answers invalid JSON
    except RecursionError:  # "[[[[..." deeper than the parser goes: `silent` lets it through
        return _too_deep()
    if _nesting(body) > MAX_NESTING:
        # Parsed here, but webargs parses again deeper in the stack and would hit the limit
        return _too_deep()
    if _has_lone_surrogate(body):
        # JSON can escape half of a UTF-16 pair ("\ud800"): no text has it, no database takes it
        return problem(400, "Bad Request",
                       "The body has a lone UTF-16 surrogate escape (such as \\ud800): "
                       "strings must be Unicode text.")
    return None


def _too_deep():
    """The same answer as for any body that is not JSON (webargs' "Invalid JSON body")."""
    return problem(400, "Bad Request", "The request is not valid: see `errors`.",
                   {"_body": [f"Invalid JSON body: nested deeper than {MAX_NESTING} levels."]})


def _nesting(body) -> int:
    """How deep arrays and objects nest in a parsed body, counted without recursion."""
    deepest, pending = 0, [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            pending.extend((item, depth + 1) for item in value)
    return deepest


def _has_lone_surrogate(body) -> bool:
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def finish(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    log.info("request", extra={"method": request.method, "path": request.path,
                               "status": response.status_code, "ms": round(elapsed * 1000, 1)})
    return response


def init_app(app: Flask) -> None:
    """Request ids first; bodies are checked after the API key (``init_body_checks``), so
    that a request without a key gets 401 whatever it sent."""
    app.before_request(assign_request_id)
    app.after_request(finish)


def init_body_checks(app: Flask) -> None:
    app.before_request(refuse_non_json_bodies)
