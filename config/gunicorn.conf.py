"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py wsgi:app`.

Each worker is a separate process that loads the models once (no preload in the master, so
that no torch state is shared across fork). Analysis is CPU-bound: one worker per core, a few
threads each for the I/O-bound requests around it.
"""
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
preload_app = False
accesslog = "-"
access_log_format = '{"remote":"%(h)s","request":"%(r)s","status":%(s)s,"bytes":"%(b)s","ms":%(M)s,"request_id":"%({x-request-id}o)s"}'
errorlog = "-"


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR set, /metrics adds up every worker's metrics from files
    in that directory: forget the live gauges of a worker that is gone."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
