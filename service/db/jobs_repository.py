"""Reads and writes of background jobs, on a SQLAlchemy ``Session`` and nothing else.

A job's articles wait in ``job_items``. Workers claim an item, analyse it, and record the
outcome; the last item to finish completes the job. Each step is a short transaction of its
own and can be repeated: a message delivered twice finds its item already done.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session, selectinload

from service.db.tables import Job, JobItem

UNFINISHED = ("queued", "running")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def create_job(
    session: Session,
    kind: str,
    payloads: Sequence[dict],
    idempotency_key: str | None = None,
    request_sha256: str | None = None,
) -> Job:
    job = Job(kind=kind, total=len(payloads), idempotency_key=idempotency_key,
              request_sha256=request_sha256)
    job.items = [JobItem(position=i, payload=p) for i, p in enumerate(payloads)]
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: str) -> Job | None:
    return session.scalars(
        select(Job).where(Job.id == job_id).options(selectinload(Job.items))
    ).first()


def find_job_by_idempotency_key(session: Session, key: str) -> Job | None:
    return session.scalars(
        select(Job).where(Job.idempotency_key == key).options(selectinload(Job.items))
    ).first()


def delete_job(session: Session, job_id: str) -> None:
    job = session.get(Job, job_id)
    if job is not None:
        session.delete(job)


def unfinished_jobs(session: Session) -> list[Job]:
    """Jobs not completed yet, with their items: what `flask jobs requeue` dispatches again."""
    return list(session.scalars(
        select(Job).where(Job.status.in_(UNFINISHED)).options(selectinload(Job.items))
        .order_by(Job.id)
    ))


@dataclass(frozen=True)
class Claim:
    """An item a worker may now analyse (``payload``), or ``None`` payload when there is
    nothing to do: finished already, or given up after too many attempts."""

    payload: dict | None
    attempt: int


def claim_item(session: Session, job_id: str, position: int, max_attempts: int) -> Claim:
    item = session.scalars(
        select(JobItem).where(JobItem.job_id == job_id, JobItem.position == position)
        .with_for_update()
    ).first()
    if item is None or item.status not in UNFINISHED:
        return Claim(None, item.attempts if item else 0)
    if item.attempts >= max_attempts:
        _finish(item, error={
            "type": "https://quotes.example/problems/worker-lost",
            "title": "Analysis abandoned",
            "status": 500,
            "detail": f"The worker analysing this article stopped {item.attempts} times; "
                      "it was not retried again.",
        })
        return Claim(None, item.attempts)
    item.attempts += 1
    item.status = "running"
    session.execute(
        update(Job).where(Job.id == job_id, Job.status == "queued")
        .values(status="running", started_at=_now())
    )
    return Claim(dict(item.payload), item.attempts)


def finish_item(
    session: Session,
    job_id: str,
    position: int,
    article_id: str | None = None,
    created: bool | None = None,
    error: dict | None = None,
) -> None:
    item = session.scalars(
        select(JobItem).where(JobItem.job_id == job_id, JobItem.position == position)
    ).one()
    if item.status in UNFINISHED:
        _finish(item, article_id, created, error)


def _finish(item: JobItem, article_id=None, created=None, error=None) -> None:
    item.status = "failed" if error else "succeeded"
    item.article_id, item.created, item.error = article_id, created, error
    item.finished_at = _now()


def complete_job_if_done(session: Session, job_id: str) -> bool:
    """Mark the job finished when none of its items is left, in one conditional UPDATE.

    Several workers may finish a job's last items at the same moment: the row lock and the
    ``status`` condition let exactly one of them complete it (and announce it).
    """
    def items(*statuses):
        return select(JobItem.id).where(JobItem.job_id == job_id, JobItem.status.in_(statuses))

    outcome = case((items("failed").exists(), "failed"), else_="succeeded")
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(UNFINISHED), ~items(*UNFINISHED).exists())
        .values(status=outcome, finished_at=_now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def queue_depth(session: Session) -> dict[str, int]:
    """Articles waiting in jobs, by status ("queued", "running")."""
    rows = session.execute(
        select(JobItem.status, func.count()).where(JobItem.status.in_(UNFINISHED))
        .group_by(JobItem.status)
    )
    counts = dict.fromkeys(UNFINISHED, 0)
    counts.update(dict(rows.all()))
    return counts
