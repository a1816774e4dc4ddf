"""Background work: jobs of articles (``mode=async``, batches) and webhook deliveries.

Two executors run it, chosen by ``JOBS_EXECUTOR``:

- ``inline`` (the default): a thread pool in the web process; no broker, nothing to install,
  for ``make serve`` on one machine (``JOBS_INLINE_THREADS=0`` runs the work within the
  request, which the tests use);
- ``celery``: tasks sent through Redis to Celery workers (``make worker``), as many as the
  load needs, on as many machines.

Either way the work itself is ``service.jobs.work``: plain functions over the database and
the pipeline, with no Flask or Celery in them.
"""
from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from service.db import Database


class Executor(Protocol):
    def bind(self, services: "Services") -> None:
        """Receive the services the work runs with (once, when they are made)."""

    def run_job(self, job_id: str, groups: Sequence[Sequence[int]]) -> None:
        """Analyse the job's items; each group of positions in order, groups in any order."""

    def deliver(self, delivery_id: str, delay: float = 0.0) -> None:
        """Attempt a webhook delivery after ``delay`` seconds (retrying as it says)."""


@dataclass(frozen=True)
class Services:
    """What background work needs from the app, without Flask."""

    database: Database
    analyzer: Any  # service.nlp.Analyzer: loads the models on first use
    executor: Executor
    config: Mapping[str, Any]

    @property
    def pipeline(self):
        return self.analyzer.pipeline


_lock = threading.Lock()


def services(app) -> Services:
    """The app's ``Services``, made on first use (so that a web process that never queues
    anything never starts a thread or opens a broker connection)."""
    found = app.extensions.get("services")
    if found is not None:
        return found
    with _lock:
        if "services" not in app.extensions:
            executor = _make_executor(app.config)
            made = Services(app.extensions["database"], app.extensions["analyzer"], executor,
                            app.config)
            executor.bind(made)
            app.extensions["services"] = made
    return app.extensions["services"]


def _make_executor(config):
    name = config["JOBS_EXECUTOR"]
    if name == "inline":
        from service.jobs.inline import InlineExecutor

        return InlineExecutor(int(config["JOBS_INLINE_THREADS"]))
    if name == "celery":
        from service.jobs.celery_app import CeleryExecutor

        return CeleryExecutor(config)
    raise ValueError(f"JOBS_EXECUTOR must be 'inline' or 'celery', not {name!r}")
