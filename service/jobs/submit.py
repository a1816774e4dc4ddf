"""Putting articles in a job and handing it to the executor (the API and the CLI share this)."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from service.db import jobs_repository as jobs_repo
from service.db.repository import ArticleFields
from service.jobs import Services
from service.jobs.work import dedupe_groups, fields_to_payload
from service.metrics import ERRORS


class QueueUnavailable(Exception):
    """The executor could not take the job (the broker is down); nothing was kept."""


def job_fingerprint(kind: str, articles: Sequence[ArticleFields]) -> str:
    payloads = [fields_to_payload(f) for f in articles]
    return hashlib.sha256(json.dumps([kind, payloads], sort_keys=True, default=str).encode()).hexdigest()


def enqueue_job(
    services: Services,
    kind: str,
    articles: Sequence[ArticleFields],
    idempotency_key: str | None = None,
) -> str:
    """Store a job of ``articles`` and dispatch it; returns its id. Raises ``IntegrityError``
    when ``idempotency_key`` was taken meanwhile, ``QueueUnavailable`` when the executor
    refused (the job is then deleted again)."""
    payloads = [fields_to_payload(f) for f in articles]
    with services.database.transaction() as session:
        job_id = jobs_repo.create_job(session, kind, payloads, idempotency_key,
                                      job_fingerprint(kind, articles)).id
    try:
        services.executor.run_job(job_id, dedupe_groups(list(articles)))
    except Exception as exc:
        ERRORS.labels("queue", type(exc).__name__).inc()
        with services.database.transaction() as session:
            jobs_repo.delete_job(session, job_id)
        raise QueueUnavailable(str(exc)) from exc
    return job_id


def requeue_unfinished(services: Services) -> tuple[int, int]:
    """Dispatch again every unfinished job and pending webhook delivery (after a crash of an
    inline executor's process, or a flushed broker). Safe to repeat: the work is idempotent.
    Returns (jobs, deliveries) dispatched."""
    from service.db import webhooks_repository as hooks_repo
    from service.jobs.work import fields_from_payload

    with services.database.session() as session:
        unfinished = [(job.id, [fields_from_payload(i.payload) for i in job.items])
                      for job in jobs_repo.unfinished_jobs(session)]
        deliveries = hooks_repo.pending_delivery_ids(session)
    for job_id, articles in unfinished:
        services.executor.run_job(job_id, dedupe_groups(articles))
    for delivery_id in deliveries:
        services.executor.deliver(delivery_id)
    return len(unfinished), len(deliveries)
