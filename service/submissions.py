"""An article comes in by any door (the API, a job, the CLI): analyse it, count it, announce it.

``service.analysis.submit_article`` does the work (dedupe, predict, one transaction); this adds
what the newsroom machinery around it needs: the metrics and the ``article.analyzed`` webhook.
"""
from __future__ import annotations

import logging

from service.analysis import IdempotencyConflict, Submission, submit_article
from service.db import repository as repo
from service.db.tables import Article
from service.metrics import ARTICLES_ANALYSED, ARTICLES_REUSED, ERRORS

log = logging.getLogger(__name__)


def analyse_article(
    services, fields: repo.ArticleFields, idempotency_key: str | None = None, via: str = "api"
) -> Submission:
    """``submit_article`` with metrics and the ``article.analyzed`` event.

    ``services`` is a ``service.jobs.Services``: the database, the models, the executor that
    delivers webhooks.
    """
    try:
        result = submit_article(services.database, services.pipeline, fields, idempotency_key)
    except IdempotencyConflict:
        raise
    except Exception as exc:
        ERRORS.labels("analysis", type(exc).__name__).inc()
        raise
    if result.created:
        ARTICLES_ANALYSED.labels(via).inc()
        announce(services, "article.analyzed", article_event(result.article))
    else:
        ARTICLES_REUSED.labels(via).inc()
    return result


def article_event(article: Article) -> dict:
    """The ``data`` of ``article.analyzed``: enough to decide whether to fetch the analysis
    (``GET /v1/articles/{id}`` or ``/v1/articles/{id}/ninjs``), not the whole text."""
    speakers = {q.speaker.id: q.speaker.name for q in article.quotes if q.speaker}
    return {
        "id": article.id,
        "external_id": article.external_id,
        "title": article.title,
        "url": article.url,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "model_version": article.model_version,
        "quote_count": len(article.quotes),
        "speakers": [{"id": k, "name": v} for k, v in speakers.items()],
        "links": {"article": f"/v1/articles/{article.id}",
                  "ninjs": f"/v1/articles/{article.id}/ninjs"},
    }


def announce(services, event_type: str, data: dict) -> None:
    """Record the event's deliveries and hand them to the executor. The analysis is stored
    already: a failure here is logged and counted, never turned into a failed request."""
    from service.webhooks.events import record_event

    try:
        for delivery_id in record_event(services.database, event_type, data):
            services.executor.deliver(delivery_id)
    except Exception as exc:
        ERRORS.labels("webhook", type(exc).__name__).inc()
        log.exception("could not announce event", extra={"event": event_type})
