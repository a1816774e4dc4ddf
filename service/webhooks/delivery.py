"""One attempt at a webhook delivery: sign, POST to the registered URL, log the answer.

The request goes to the endpoint's URL exactly as registered: no redirect is followed and no
proxy or .netrc setting of the environment applies, so a delivery cannot end up anywhere else.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import requests

from service.db import Database
from service.db import webhooks_repository as repo
from service.metrics import ERRORS, WEBHOOK_ATTEMPTS
from service.webhooks.signing import signed_headers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryPolicy:
    retry_delays: tuple[float, ...]  # seconds before the 2nd, 3rd, ... attempt
    timeout: float
    allowed_hosts: tuple[str, ...] = ()  # checked again at each attempt: the list may shrink

    @classmethod
    def from_config(cls, config) -> "DeliveryPolicy":
        return cls(tuple(config["WEBHOOK_RETRY_DELAYS"]), float(config["WEBHOOK_TIMEOUT"]),
                   tuple(config["WEBHOOK_ALLOWED_HOSTS"]))

    def delay_after(self, attempt: int) -> float | None:
        """Seconds before the next attempt after failed attempt number ``attempt``, or None
        when that was the last one."""
        return self.retry_delays[attempt - 1] if attempt <= len(self.retry_delays) else None


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    error: str | None
    duration_ms: float

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def attempt_delivery(db: Database, delivery_id: str, policy: DeliveryPolicy) -> float | None:
    """Make the next attempt at a pending delivery.

    Returns the delay before the following attempt, or None when there is nothing more to do
    (delivered, given up, already taken by another worker, or the endpoint is gone).
    """
    with db.transaction() as session:
        claim = repo.claim_attempt(session, delivery_id)
        if claim is None:
            return None
        delivery, url, secret, number = claim
        event_type, body = delivery.event_type, delivery.payload
    refusal = refused(url, policy)
    if refusal:
        answer, retry_in = Answer(None, refusal, 0.0), None
    else:
        answer = post(url, signed_headers(secret, delivery_id, body), body, policy.timeout)
        retry_in = None if answer.ok else policy.delay_after(number)
    outcome = "succeeded" if answer.ok else ("pending" if retry_in is not None else "failed")
    next_at = datetime.now(timezone.utc) + timedelta(seconds=retry_in) if retry_in else None
    with db.transaction() as session:
        repo.record_attempt(session, delivery_id, number, answer.status_code, answer.error,
                            answer.duration_ms, outcome, next_at)
    WEBHOOK_ATTEMPTS.labels(event_type, "delivered" if answer.ok else "failed").inc()
    if not answer.ok:
        ERRORS.labels("webhook", str(answer.status_code or "unreachable")).inc()
        log.info("webhook attempt failed", extra={"delivery": delivery_id, "attempt": number,
                                                  "error": answer.error, "retry_in": retry_in})
    return retry_in


def refused(url: str, policy: DeliveryPolicy) -> str | None:
    """Why the URL may not be called any more (the allowed hosts changed), or None."""
    from marshmallow import ValidationError

    from service.webhooks.schemas import check_url

    try:
        check_url(url, policy.allowed_hosts)
    except ValidationError as exc:
        return f"not attempted: {' '.join(exc.messages)}"
    return None


def post(url: str, headers: dict, body: str, timeout: float) -> Answer:
    started = time.perf_counter()
    try:
        with requests.Session() as http:
            http.trust_env = False  # no proxy, no .netrc: only the registered URL is reached
            with http.post(url, data=body.encode("utf-8"), headers=headers, stream=True,
                           timeout=(min(timeout, 5.0), timeout), allow_redirects=False) as response:
                # Only the start of the answer is kept for the log: never read a huge body.
                status = response.status_code
                text = response.raw.read(300, decode_content=True).decode("utf-8", "replace")
    except requests.RequestException as exc:
        return Answer(None, f"{type(exc).__name__}: {exc}"[:500], _ms_since(started))
    error = None if 200 <= status < 300 else f"HTTP {status}: {text}".strip()
    return Answer(status, error, _ms_since(started))


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
