"""The broker-free executor: jobs and webhook deliveries in a thread pool of this process.

Good for one machine (``make serve``): nothing to install or run beside the web server. The
pool lives in the process; if the process stops, unfinished work stays in the database and
``flask jobs requeue`` hands it out again. With ``threads=0`` everything runs in the calling
thread, before the request answers: deterministic, for tests.
"""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Sequence

from service.jobs import work
from service.webhooks.delivery import DeliveryPolicy, attempt_delivery

log = logging.getLogger(__name__)


class InlineExecutor:
    def __init__(self, threads: int):
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="jobs") if threads > 0 else None
        self.services = None

    def bind(self, services) -> None:
        self.services = services
        self._policy = DeliveryPolicy.from_config(services.config)

    def run_job(self, job_id: str, groups: Sequence[Sequence[int]]) -> None:
        for positions in groups:
            self._run(work.run_items, self.services, job_id, list(positions))

    def deliver(self, delivery_id: str, delay: float = 0.0) -> None:
        if self._pool is None:
            time.sleep(delay)
            self._deliver_now(delivery_id)
        elif delay > 0:
            timer = threading.Timer(delay, self._run, (self._deliver_now, delivery_id))
            timer.daemon = True  # a pending retry must not keep the process alive
            timer.start()
        else:
            self._run(self._deliver_now, delivery_id)

    def _deliver_now(self, delivery_id: str) -> None:
        retry_in = attempt_delivery(self.services.database, delivery_id, self._policy)
        if retry_in is not None:
            self.deliver(delivery_id, retry_in)

    def _run(self, fn, *args) -> None:
        if self._pool is None:
            fn(*args)
        else:
            self._pool.submit(fn, *args).add_done_callback(_log_failure)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def _log_failure(future: Future) -> None:
    if future.exception() is not None:
        log.error("background work failed", exc_info=future.exception())
