"""Events -> deliveries: one stored delivery per endpoint subscribed to the event type."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from service.db import Database
from service.db import webhooks_repository as repo

log = logging.getLogger(__name__)


def event_body(event_type: str, data: dict) -> str:
    """The Standard Webhooks payload shape: ``{"type", "timestamp", "data"}``."""
    timestamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return json.dumps({"type": event_type, "timestamp": timestamp, "data": data},
                      separators=(",", ":"), ensure_ascii=False, default=str)


def record_event(db: Database, event_type: str, data: dict) -> list[str]:
    """Store the deliveries of an event and return their ids (to hand to an executor)."""
    body = None
    with db.transaction() as session:
        ids = []
        for endpoint in repo.endpoints_for(session, event_type):
            body = body or event_body(event_type, data)
            ids.append(repo.add_delivery(session, endpoint.id, event_type, body).id)
    if ids:
        log.info("webhook event", extra={"event": event_type, "deliveries": len(ids)})
    return ids
