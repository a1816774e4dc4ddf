"""Prometheus metrics, served at ``/metrics`` (open, like /healthz: no API key).

What is counted where:
- articles analysed and articles answered from storage: ``service.submissions``, whichever
  door they came in by (``via`` = api, job, cli);
- the time of each pipeline stage, per phase (preprocess, forward, postprocess): the stages are
  wrapped here when the service builds its pipeline; ``models/`` knows nothing of it;
- HTTP requests, their latency and every error response: app-wide request hooks below;
- jobs finished, webhook attempts, analysis failures: where they happen;
- queue depth (articles waiting in jobs, pending webhook deliveries, and the Celery queue's
  length in Redis when Celery runs the jobs): read when Prometheus scrapes.

Under gunicorn each worker process counts on its own. Set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty directory for the web processes and the Celery workers of a machine, and ``/metrics``
adds them all up (see docs/deploying.md).
"""
from __future__ import annotations

import functools
import logging
import os
import time

from flask import Response, current_app, g, request
from flask_smorest import Blueprint
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

# The `_created` timestamp series double every counter for little use: leave them out.
disable_created_metrics()

log = logging.getLogger(__name__)

ARTICLES_ANALYSED = Counter(
    "quotes_articles_analysed_total", "Articles run through the pipeline and stored.", ["via"]
)
ARTICLES_REUSED = Counter(
    "quotes_articles_reused_total",
    "Submissions answered with a stored analysis (same external_id, text or Idempotency-Key).",
    ["via"],
)
STAGE_SECONDS = Histogram(
    "quotes_stage_seconds", "Time spent in one phase of one pipeline stage, per call.",
    ["stage", "phase"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
HTTP_REQUESTS = Counter(
    "quotes_http_requests_total", "HTTP requests answered.", ["method", "route", "status"]
)
HTTP_SECONDS = Histogram(
    "quotes_http_request_seconds", "HTTP request latency.", ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
ERRORS = Counter(
    "quotes_errors_total",
    "Errors: HTTP error responses (where=http, kind=status), failed analyses (where=analysis), "
    "failed job items (where=job) and failed webhook attempts (where=webhook).",
    ["where", "kind"],
)
JOBS_FINISHED = Counter("quotes_jobs_finished_total", "Jobs completed.", ["status"])
WEBHOOK_ATTEMPTS = Counter(
    "quotes_webhook_attempts_total", "Webhook delivery attempts.", ["event", "outcome"]
)


# --- pipeline stages --------------------------------------------------------------------------

PHASES = ("preprocess", "forward", "postprocess")


def instrument_stages(pipeline):
    """Time every phase of every stage of ``pipeline`` (in place, once; returns it).

    The phases are wrapped on each stage object rather than the stages replaced, so the
    pipeline, its version string and its stage types stay exactly what ``models`` built.
    """
    for stage in pipeline.stages:
        if getattr(stage, "_quotes_timed", False):
            continue
        for phase in PHASES:
            setattr(stage, phase, _timed(getattr(stage, phase), stage.name, phase))
        stage._quotes_timed = True
    return pipeline


def _timed(method, stage_name: str, phase: str):
    histogram = STAGE_SECONDS.labels(stage_name, phase)

    @functools.wraps(method)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            histogram.observe(time.perf_counter() - started)

    return timed


# --- HTTP -------------------------------------------------------------------------------------

blp = Blueprint("metrics", __name__, description="Prometheus metrics")


@blp.before_app_request
def _start_timer():
    g.metrics_started = time.perf_counter()


@blp.after_app_request
def _count_request(response):
    route = request.url_rule.rule if request.url_rule else "unmatched"
    HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    started = g.get("metrics_started")
    if started is not None:
        HTTP_SECONDS.labels(request.method, route).observe(time.perf_counter() - started)
    if response.status_code >= 400:
        ERRORS.labels("http", str(response.status_code)).inc()
    return response


@blp.route("/metrics")
@blp.doc(
    summary="Prometheus metrics",
    security=[],  # open, like the health endpoints
    responses={"200": {"description": "metrics in the Prometheus text format",
                       "content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def metrics():
    """Counters and histograms of this service in the Prometheus text format (no key needed)."""
    body = generate_latest(_process_registry()) + generate_latest(_queue_registry())
    return Response(body, mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                    headers={"Content-Type": CONTENT_TYPE_LATEST})


def _process_registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def _queue_registry() -> CollectorRegistry:
    """Gauges read at scrape time from the database (and Redis), the same whichever process
    Prometheus happens to reach."""
    registry = CollectorRegistry()
    registry.register(QueueCollector(current_app._get_current_object()))
    return registry


class QueueCollector:
    def __init__(self, app):
        self.app = app

    def collect(self):
        from service.db import jobs_repository, webhooks_repository

        depth = GaugeMetricFamily(
            "quotes_queue_depth", "Articles of jobs waiting for or under analysis.", labels=["status"]
        )
        pending = GaugeMetricFamily(
            "quotes_webhook_deliveries_pending", "Webhook deliveries not yet delivered nor given up."
        )
        try:
            with self.app.extensions["database"].session() as session:
                for status, count in jobs_repository.queue_depth(session).items():
                    depth.add_metric([status], count)
                pending.add_metric([], webhooks_repository.pending_delivery_count(session))
        except Exception as exc:  # a scrape must answer even when the database does not
            ERRORS.labels("metrics", type(exc).__name__).inc()
            log.warning("queue depth unavailable", extra={"error": str(exc)})
            return
        yield depth
        yield pending
        yield from self._broker_length()

    def _broker_length(self):
        if self.app.config["JOBS_EXECUTOR"] != "celery":
            return
        from service.jobs.celery_app import broker_queue_lengths

        family = GaugeMetricFamily(
            "quotes_broker_queue_length", "Messages waiting in the Celery broker.", labels=["queue"]
        )
        try:
            for queue, length in broker_queue_lengths(self.app.config).items():
                family.add_metric([queue], length)
        except Exception as exc:
            ERRORS.labels("metrics", type(exc).__name__).inc()
            return
        yield family
