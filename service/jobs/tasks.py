"""The Celery tasks: thin shells around ``service.jobs.work`` and the webhook delivery.

Registered by name on the worker's app (``make_celery`` includes this module); the web
process sends them by name and never imports this module.
"""
from __future__ import annotations

from celery import shared_task
from flask import current_app

from service.jobs import services
from service.jobs.celery_app import TASK_ANALYZE, TASK_DELIVER
from service.jobs.work import TRANSIENT, run_items
from service.webhooks.delivery import DeliveryPolicy, attempt_delivery

# The database being briefly away is retried with backoff; anything else the work records.
RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": 2, "retry_backoff_max": 300,
         "max_retries": 20}


@shared_task(name=TASK_ANALYZE, acks_late=True, reject_on_worker_lost=True, **RETRY)
def analyze_items(job_id: str, positions: list[int]) -> None:
    run_items(services(current_app), job_id, positions)


@shared_task(name=TASK_DELIVER, acks_late=True, reject_on_worker_lost=True, **RETRY)
def deliver_webhook(delivery_id: str) -> None:
    found = services(current_app)
    retry_in = attempt_delivery(found.database, delivery_id, DeliveryPolicy.from_config(found.config))
    if retry_in is not None:
        found.executor.deliver(delivery_id, retry_in)
