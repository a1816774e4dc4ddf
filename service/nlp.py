"""The analysis pipeline as a Flask extension: built once per process, ready-state for /readyz.

``service`` never touches tensors: it asks ``models.factory`` for a pipeline by name and
hands it plain ``models.types`` data.
"""
from __future__ import annotations

import functools
import importlib
import logging
import threading
import time
from collections.abc import Callable

from models.pipeline import Pipeline

log = logging.getLogger(__name__)


@functools.cache
def shared_pipeline(name: str) -> Pipeline:
    from service.metrics import instrument_stages

    if ":" in name:
        # "package.module:factory", e.g. "tests.fakes:fake_pipeline": how the Celery workers
        # and gunicorn of the tests and the load test run without the shipped models.
        module, _, factory = name.partition(":")
        return instrument_stages(getattr(importlib.import_module(module), factory)())
    from models.factory import build_pipeline

    return instrument_stages(build_pipeline(name))


class Analyzer:
    def __init__(self) -> None:
        self._pipeline: Pipeline | None = None
        self._builder: Callable[[], Pipeline] | None = None
        self._lock = threading.Lock()
        self.error: str | None = None

    def init_app(self, app, pipeline: Pipeline | None = None) -> None:
        """Give the app its own ``Analyzer``: ``pipeline`` if given (tests), else the shipped
        models named by ``PIPELINE``, built once per process (shared by the apps in it)."""
        state = type(self)()
        if pipeline is not None:
            from service.metrics import instrument_stages

            state._pipeline = instrument_stages(pipeline)
        else:
            name = app.config["PIPELINE"]
            state._builder = lambda: shared_pipeline(name)
            if app.config["PRELOAD_MODELS"]:
                threading.Thread(target=state._load_quietly, name="model-loader", daemon=True).start()
        app.extensions["analyzer"] = state

    @property
    def ready(self) -> bool:
        return self._pipeline is not None

    @property
    def pipeline(self) -> Pipeline:
        """The pipeline, loading it on first use (once per process, whichever thread asks)."""
        if self._pipeline is None:
            with self._lock:
                if self._pipeline is None:
                    started = time.perf_counter()
                    assert self._builder is not None, "Analyzer.init_app was not called"
                    self._pipeline = self._builder()
                    log.info(
                        "models loaded",
                        extra={"model_version": self._pipeline.version,
                               "seconds": round(time.perf_counter() - started, 2)},
                    )
        return self._pipeline

    def _load_quietly(self) -> None:
        try:
            self.pipeline
        except Exception as exc:  # reported by /readyz; requests will retry the load
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("model loading failed")
