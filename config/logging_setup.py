"""Structured JSON logs, one object a line, each carrying the request id when there is one."""
from __future__ import annotations

import logging
import logging.config

from pythonjsonlogger.json import JsonFormatter


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record; the service sets it per request in ``flask.g``."""

    def filter(self, record: logging.LogRecord) -> bool:
        from flask import g, has_app_context

        record.request_id = getattr(g, "request_id", None) if has_app_context() else None
        return True


def configure_logging(level: str = "INFO", json_logs: bool = True) -> None:
    formatter = (
        {"()": JsonFormatter, "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
         "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}}
        if json_logs
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"request_id": {"()": RequestIdFilter}},
            "formatters": {"default": formatter},
            "handlers": {
                "stderr": {
                    "class": "logging.StreamHandler",
                    "formatter": "default",
                    "filters": ["request_id"],
                }
            },
            "root": {"level": level, "handlers": ["stderr"]},
            "loggers": {"werkzeug": {"level": "WARNING"}},
        }
    )
