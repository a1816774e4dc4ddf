"""What the doors that accept articles share: validating each article as `POST /v1/articles`
does, and accepting articles as a background job (202 + the job)."""
from __future__ import annotations

from flask import current_app, jsonify, request
from flask_smorest import abort
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from service.api.deps import database
from service.db import jobs_repository as jobs_repo
from service.db.repository import ArticleFields
from service.jobs import services
from service.jobs.presenters import job_view
from service.jobs.schemas import JobSchema
from service.jobs.submit import QueueUnavailable, enqueue_job, job_fingerprint


def validated_fields(payload: dict, field_prefix: str = "", text_field: str = "text") -> ArticleFields:
    """``fields_from`` of the articles view (HTML conversion, empty and length checks), with
    its validation errors named after the field the client actually sent."""
    from service.api.articles import fields_from

    try:
        return fields_from(payload)
    except HTTPException as exc:
        errors = (getattr(exc, "data", None) or {}).get("errors")
        if not errors:
            raise
        renamed = {field_prefix + (text_field if k == "text" else k): v for k, v in errors.items()}
        abort(422, errors=renamed)


def idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (0 < len(key) <= 255):
        abort(422, errors={"Idempotency-Key": ["must be 1 to 255 characters"]})
    return key


def analyse_now(fields: ArticleFields, key: str | None):
    """Analyse within the request; a reused Idempotency-Key with another body is a 422."""
    from service.analysis import IdempotencyConflict
    from service.submissions import analyse_article

    try:
        return analyse_article(services(current_app), fields, key, via="api")
    except IdempotencyConflict:
        abort(422, message="This Idempotency-Key was already used with a different request.")


IDEMPOTENCY_HEADER = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": "repeat a POST safely: the same key returns the first result",
}


def accept_job(kind: str, articles: list[ArticleFields], key: str | None):
    """Store the job, hand it to the executor, answer 202 with it (``Location``: the job).

    A repeated ``Idempotency-Key`` returns the job it created first (a different request
    under the same key is refused). If the queue cannot take the job, nothing is kept: 503.
    """
    fingerprint = job_fingerprint(kind, articles)
    replay = _replayed_job(key, fingerprint)
    if replay is not None:
        return job_response(replay)
    try:
        job_id = enqueue_job(services(current_app), kind, articles, key)
    except IntegrityError:  # the same key, posted at the same moment: answer with that job
        replay = _replayed_job(key, fingerprint)
        if replay is None:
            raise
        return job_response(replay)
    except QueueUnavailable:
        current_app.logger.exception("could not queue a job")
        abort(503, message="The job queue is unavailable: nothing was queued. Try again later.")
    with database().session() as session:
        return job_response(job_view(jobs_repo.get_job(session, job_id)))


def _replayed_job(key: str | None, fingerprint: str) -> dict | None:
    if not key:
        return None
    with database().session() as session:
        job = jobs_repo.find_job_by_idempotency_key(session, key)
        if job is None:
            return None
        if job.request_sha256 != fingerprint:
            abort(422, message="This Idempotency-Key was already used with a different request.")
        return job_view(job)


def job_response(view: dict):
    response = jsonify(JobSchema().dump(view))
    response.status_code = 202
    response.headers["Location"] = f"/v1/jobs/{view['id']}"
    return response
