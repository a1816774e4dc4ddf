"""Bearer API keys. Keys come from ``QUOTES_API_KEYS`` and from the database (hashed); while
there are none the service runs open, and says so in its log at start-up."""
from __future__ import annotations

import hmac
import logging

from flask import Flask, current_app, request

from service.db import repository as repo
from service.errors import problem

log = logging.getLogger(__name__)

# Operational and documentation endpoints answer without a key.
OPEN_ENDPOINTS = {"health.healthz", "health.readyz", "api-docs.openapi_json", "docs.docs",
                  "web.index", "static", "metrics.metrics"}


def _configured_hashes(app: Flask) -> set[str]:
    return {repo.sha256(k) for k in app.config["API_KEYS"]}


def _stored_hashes() -> set[str]:
    db = current_app.extensions["database"]
    with db.session() as session:
        return repo.active_key_hashes(session)


def check_api_key():
    if request.endpoint in OPEN_ENDPOINTS or request.method == "OPTIONS":
        return None
    accepted = _configured_hashes(current_app) | _stored_hashes()
    if not accepted:
        return None  # no keys anywhere: open mode
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        digest = repo.sha256(token.strip())
        if any(hmac.compare_digest(digest, h) for h in accepted):
            return None
    return problem(401, "Unauthorized", "A valid API key is required: "
                   "send `Authorization: Bearer <key>`.",
                   headers={"WWW-Authenticate": 'Bearer realm="quotes"'})


def init_app(app: Flask) -> None:
    app.before_request(check_api_key)


def log_auth_mode(app: Flask) -> None:
    try:
        with app.app_context():
            keys = _configured_hashes(app) | _stored_hashes()
    except Exception:  # the schema may not exist yet before `flask db upgrade`
        keys = _configured_hashes(app)
    if not keys:
        log.warning("no API keys configured: the service is OPEN to anyone who can reach it")
