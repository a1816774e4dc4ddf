"""The work of a job, the same whoever runs it (a thread of the web process, a Celery worker).

An item is claimed (its attempt counted), analysed with ``submit_article`` (dedupe, predict,
one transaction), then marked done. If the worker dies anywhere in between, the item is
still unfinished and the message comes back: the retry either finds the item done, or
analyses again, and ``submit_article`` answers with the article stored the first time, if it
got that far. So an article is stored once, whole or not at all.
"""
from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date

from sqlalchemy.exc import DBAPIError, OperationalError

from service.db import jobs_repository as jobs
from service.db.repository import ArticleFields
from service.jobs import Services
from service.jobs.presenters import job_view
from service.metrics import ERRORS, JOBS_FINISHED
from service.submissions import analyse_article, announce

log = logging.getLogger(__name__)

# The database went away: not the article's fault, so the message is retried, not failed.
TRANSIENT = (OperationalError,)


def fields_to_payload(fields: ArticleFields) -> dict:
    payload = asdict(fields)
    payload["published_at"] = fields.published_at.isoformat() if fields.published_at else None
    return payload


def fields_from_payload(payload: dict) -> ArticleFields:
    published = payload.get("published_at")
    return ArticleFields(**{**payload, "published_at": date.fromisoformat(published) if published else None})


def dedupe_groups(fields: list[ArticleFields]) -> list[list[int]]:
    """Positions grouped so that copies of one article (same ``external_id``, or same text,
    under any id) are analysed one after the other, never at once by two workers: the second
    then simply finds the first one's result."""
    group_of: dict[tuple, int] = {}  # key -> the first position that had it
    leader = list(range(len(fields)))

    def root(position: int) -> int:
        while leader[position] != position:
            position = leader[position]
        return position

    for position, f in enumerate(fields):
        keys = [("text", f.text)] + ([("external_id", f.external_id)] if f.external_id else [])
        for key in keys:
            if key in group_of:
                leader[root(position)] = root(group_of[key])
            else:
                group_of[key] = position
    groups: dict[int, list[int]] = {}
    for position in range(len(fields)):
        groups.setdefault(root(position), []).append(position)
    return list(groups.values())


def run_items(services: Services, job_id: str, positions: list[int]) -> None:
    for position in positions:
        run_item(services, job_id, position)
    finish_job(services, job_id)


def run_item(services: Services, job_id: str, position: int) -> None:
    db = services.database
    with db.transaction() as session:
        claim = jobs.claim_item(session, job_id, position, int(services.config["JOBS_MAX_ATTEMPTS"]))
    if claim.payload is None:
        return  # done already (a redelivered message), or given up
    if claim.attempt > 1:
        log.warning("retrying an article", extra={"job": job_id, "position": position,
                                                   "attempt": claim.attempt})
    try:
        result = analyse_article(services, fields_from_payload(claim.payload), via="job")
    except TRANSIENT:
        raise  # the executor retries the message later
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise
        _fail(db, job_id, position, exc)
        return
    except Exception as exc:  # this article cannot be analysed: say why, go on with the rest
        _fail(db, job_id, position, exc)
        return
    with db.transaction() as session:
        jobs.finish_item(session, job_id, position, article_id=result.article.id,
                         created=result.created)


def _fail(db, job_id: str, position: int, exc: Exception) -> None:
    log.exception("article analysis failed", extra={"job": job_id, "position": position})
    ERRORS.labels("job", type(exc).__name__).inc()
    error = {
        "type": "https://quotes.example/problems/500",
        "title": "Analysis failed",
        "status": 500,
        "detail": f"The analysis of this article failed ({type(exc).__name__}).",
    }
    with db.transaction() as session:
        jobs.finish_item(session, job_id, position, error=error)


def finish_job(services: Services, job_id: str) -> None:
    """Complete the job if nothing is left of it, and announce ``job.completed`` (once)."""
    with services.database.transaction() as session:
        completed = jobs.complete_job_if_done(session, job_id)
    if not completed:
        return
    with services.database.session() as session:
        view = job_view(jobs.get_job(session, job_id))
    JOBS_FINISHED.labels(view["status"]).inc()
    log.info("job completed", extra={"job": job_id, "status": view["status"]})
    announce(services, "job.completed", _jsonable(view))


def _jsonable(view: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in view.items()}
