"""Reads and writes of webhook endpoints and their deliveries, on a SQLAlchemy ``Session``."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from service.db.tables import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def create_endpoint(
    session: Session, url: str, events: list[str], description: str | None, secret: str
) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(url=url, events=events, description=description, secret=secret)
    session.add(endpoint)
    session.flush()
    return endpoint


def get_endpoint(session: Session, endpoint_id: str) -> WebhookEndpoint | None:
    return session.get(WebhookEndpoint, endpoint_id)


def list_endpoints(session: Session, after_id: str | None, limit: int) -> list[WebhookEndpoint]:
    query = select(WebhookEndpoint).order_by(WebhookEndpoint.id).limit(limit)
    if after_id:
        query = query.where(WebhookEndpoint.id > after_id)
    return list(session.scalars(query))


def delete_endpoint(session: Session, endpoint_id: str) -> bool:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        return False
    session.delete(endpoint)
    return True


def endpoints_for(session: Session, event_type: str) -> list[WebhookEndpoint]:
    # A handful of rows: filtering the JSON list in Python works the same on every backend.
    return [e for e in session.scalars(select(WebhookEndpoint)) if event_type in e.events]


def add_delivery(
    session: Session, endpoint_id: str, event_type: str, payload: str
) -> WebhookDelivery:
    delivery = WebhookDelivery(endpoint_id=endpoint_id, event_type=event_type, payload=payload,
                               next_attempt_at=datetime.now(timezone.utc))
    session.add(delivery)
    session.flush()
    return delivery


def list_deliveries(
    session: Session, endpoint_id: str, before_id: str | None, limit: int
) -> list[WebhookDelivery]:
    """An endpoint's deliveries, newest first, each with its attempts."""
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .options(selectinload(WebhookDelivery.attempt_log))
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    if before_id:
        query = query.where(WebhookDelivery.id < before_id)
    return list(session.scalars(query))


def claim_attempt(session: Session, delivery_id: str) -> tuple[WebhookDelivery, str, str, int] | None:
    """Take the next attempt at a pending delivery: (delivery, url, secret, attempt number).

    The attempt counter moves only if nobody else moved it meanwhile, so that a delivery
    handed to two workers at once is still attempted once per number.
    """
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != "pending":
        return None
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    taken = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
               WebhookDelivery.attempts == delivery.attempts)
        .values(attempts=delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1 or endpoint is None:
        return None
    return delivery, endpoint.url, endpoint.secret, delivery.attempts + 1


def record_attempt(
    session: Session,
    delivery_id: str,
    number: int,
    status_code: int | None,
    error: str | None,
    duration_ms: float,
    outcome: str,
    next_attempt_at: datetime | None,
) -> None:
    """Log an attempt and move the delivery to ``outcome`` (pending, succeeded or failed)."""
    if session.get(WebhookDelivery, delivery_id) is None:
        return  # the endpoint was deleted meanwhile, and its log with it
    session.add(WebhookAttempt(delivery_id=delivery_id, number=number, status_code=status_code,
                               error=error, duration_ms=round(duration_ms, 1)))
    now = datetime.now(timezone.utc)
    session.execute(
        update(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
        .values(status=outcome, next_attempt_at=next_attempt_at,
                delivered_at=now if outcome == "succeeded" else None)
        .execution_options(synchronize_session=False)
    )


def pending_delivery_ids(session: Session) -> list[str]:
    return list(session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.status == "pending")
        .order_by(WebhookDelivery.id)
    ))


def pending_delivery_count(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.status == "pending")
    ) or 0
