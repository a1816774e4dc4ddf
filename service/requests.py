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
    if _has_lone_surrogate(request.get_json(silent=True)):
        # JSON can escape half of a UTF-16 pair ("\ud800"): no text has it, no database takes it
        return problem(400, "Bad Request",
                       "The body has a lone UTF-16 surrogate escape (such as \\ud800): "
                       "strings must be Unicode text.")
    return None


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
