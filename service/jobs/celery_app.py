"""Celery: the configuration shared by the web process (which sends tasks) and the workers
(which run them), the executor that sends, and the worker's app factory.

Messages carry ids only (a job and its positions, a delivery): the articles wait in the
database. Tasks are acknowledged after they finish (``acks_late``) and put back when their
worker dies (``reject_on_worker_lost``); Redis hands a message nobody acknowledged to another
worker after ``CELERY_VISIBILITY_TIMEOUT``. The work is idempotent (``service.jobs.work``), so
running a message again is safe.
"""
from __future__ import annotations

from collections.abc import Sequence

from celery import Celery, Task
from kombu import Queue

TASK_ANALYZE = "quotes.analyze_items"
TASK_DELIVER = "quotes.deliver_webhook"


def queue_names(config) -> tuple[str, str]:
    """(articles queue, webhooks queue): deliveries get their own queue so that they are not
    held up behind long analyses."""
    return config["CELERY_QUEUE"], f"{config['CELERY_QUEUE']}.webhooks"


def celery_settings(config) -> dict:
    articles, webhooks = queue_names(config)
    transport = {"visibility_timeout": int(config["CELERY_VISIBILITY_TIMEOUT"])}
    if config["CELERY_KEY_PREFIX"]:
        transport["global_keyprefix"] = config["CELERY_KEY_PREFIX"]
    return {
        "broker_url": config["CELERY_BROKER_URL"],
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": transport,
        # A web request must not hang when Redis is down: try briefly, then answer 503.
        "task_publish_retry_policy": {"max_retries": 2, "interval_start": 0,
                                      "interval_step": 0.5, "interval_max": 1},
        "task_default_queue": articles,
        "task_queues": (Queue(articles), Queue(webhooks)),
        "task_routes": {TASK_DELIVER: {"queue": webhooks}},
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_ignore_result": True,  # results live in the database, not in Redis
        "task_serializer": "json",
        "accept_content": ["json"],
        # One message at a time per process: a long analysis never hoards messages that an
        # idle worker elsewhere could take.
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,  # keep the service's JSON logs
    }


class CeleryExecutor:
    """Sends the work to Celery workers through the broker."""

    def __init__(self, config, celery: Celery | None = None):
        if celery is None:
            celery = Celery("quotes", set_as_current=False)
            celery.conf.update(celery_settings(config))
        self.celery = celery

    def bind(self, services) -> None:
        pass  # the workers have their own

    def run_job(self, job_id: str, groups: Sequence[Sequence[int]]) -> None:
        for positions in groups:
            self.celery.send_task(TASK_ANALYZE, args=[job_id, list(positions)])

    def deliver(self, delivery_id: str, delay: float = 0.0) -> None:
        self.celery.send_task(TASK_DELIVER, args=[delivery_id], countdown=delay or None)


def make_celery(flask_app) -> Celery:
    """The worker's Celery app: every task runs inside ``flask_app``'s app context (the Flask
    documentation's pattern), so tasks reach the database and models through the app."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with flask_app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery("quotes", task_cls=FlaskTask, include=["service.jobs.tasks"])
    celery.conf.update(celery_settings(flask_app.config))
    celery.set_default()
    flask_app.extensions["celery"] = celery
    return celery


def broker_queue_lengths(config) -> dict[str, int]:
    """Messages waiting in each queue, read straight from Redis (for /metrics)."""
    import redis

    client = redis.Redis.from_url(config["CELERY_BROKER_URL"], socket_timeout=1,
                                  socket_connect_timeout=1)
    try:
        prefix = config["CELERY_KEY_PREFIX"]
        return {name: client.llen(prefix + name) for name in queue_names(config)}
    finally:
        client.close()
