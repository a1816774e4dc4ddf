"""Webhooks: endpoints registered over the API hear about events, signed per the Standard
Webhooks specification (https://www.standardwebhooks.com) and retried with backoff.

- ``signing``: secrets and the ``webhook-id`` / ``webhook-timestamp`` / ``webhook-signature``
  headers (the ``standardwebhooks`` package computes the signature);
- ``events``: an event becomes one stored delivery per subscribed endpoint;
- ``delivery``: one attempt at a delivery, logged, with the delay before the next one.

Who runs the attempts (a thread of the web process or a Celery worker) is the job executor's
business: see ``service.jobs``.
"""
EVENT_TYPES = ("article.analyzed", "job.completed")
