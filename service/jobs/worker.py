"""The Celery worker's entry point::

    celery -A service.jobs.worker worker --loglevel INFO          # or: make worker

It reads the same environment as the web service (``DATABASE_URL``, ``CELERY_BROKER_URL``,
``QUOTES_PIPELINE``, ...). The models load once in each worker process, after the fork and
before its first task, never in the parent: with the prefork pool, ``--concurrency N`` means
N processes, each with its own models (and its own memory for them).
"""
from __future__ import annotations

import logging
import os

from celery.signals import worker_init, worker_process_init

from service import create_app
from service.jobs import Services
from service.jobs.celery_app import CeleryExecutor, make_celery

log = logging.getLogger(__name__)

flask_app = create_app(PRELOAD_MODELS=False, JOBS_EXECUTOR="celery")
celery = make_celery(flask_app)
# Work done here sends its follow-ups (webhook deliveries) through this same Celery app.
flask_app.extensions["services"] = Services(
    flask_app.extensions["database"], flask_app.extensions["analyzer"],
    CeleryExecutor(flask_app.config, celery), flask_app.config,
)


@worker_process_init.connect
def load_models_in_this_process(**_kwargs) -> None:
    # Connections opened by the parent must not be shared with a forked child.
    flask_app.extensions["database"].engine.dispose(close=False)
    try:
        flask_app.extensions["analyzer"].pipeline
    except Exception:  # the first task will try again, and fail its article if it must
        log.exception("model loading failed in a worker process")


@worker_init.connect
def serve_metrics(**_kwargs) -> None:
    """``QUOTES_WORKER_METRICS_PORT``: expose this machine's worker metrics to Prometheus (with
    ``PROMETHEUS_MULTIPROC_DIR`` set, the pool processes are added up)."""
    port = os.environ.get("QUOTES_WORKER_METRICS_PORT")
    if not port:
        return
    from prometheus_client import REGISTRY, CollectorRegistry, multiprocess, start_http_server

    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    start_http_server(int(port), addr=os.environ.get("QUOTES_WORKER_METRICS_ADDR", "127.0.0.1"),
                      registry=registry)
