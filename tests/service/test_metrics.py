"""/metrics for Prometheus: open without a key; articles, stage latencies, errors, queue depth."""
from __future__ import annotations

import uuid

import redis
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from service.db import jobs_repository
from service.jobs import services, work
from tests.conftest import make_app

TRUMP = 'Donald Trump said: "I don\'t like the TPP deal for our workers."'
TEST_REDIS = "redis://127.0.0.1:6379/15"


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.data.decode())
            for s in family.samples}


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_are_open_when_everything_else_needs_a_key(database_url):
    app = make_app(database_url, API_KEYS=("secret-key",))
    try:
        client = app.test_client()
        assert client.get("/v1/articles").status_code == 401
        assert client.get("/metrics").status_code == 200
    finally:
        app.extensions["database"].dispose()


def test_articles_and_stage_latencies_are_counted(client):
    analysed = value("quotes_articles_analysed_total", via="api")
    reused = value("quotes_articles_reused_total", via="api")
    forward = value("quotes_stage_seconds_count", stage="fake-quotes", phase="forward")
    client.post("/v1/articles", json={"text": TRUMP})
    client.post("/v1/articles", json={"text": TRUMP})
    samples = scrape(client)
    assert samples[("quotes_articles_analysed_total", (("via", "api"),))] == analysed + 1
    assert samples[("quotes_articles_reused_total", (("via", "api"),))] == reused + 1
    for stage in ("fake-quotes", "fake-speakers", "fake-topics", "fake-stance"):
        for phase in ("preprocess", "forward", "postprocess"):
            assert value("quotes_stage_seconds_count", stage=stage, phase=phase) >= 1
    assert value("quotes_stage_seconds_count", stage="fake-quotes", phase="forward") == forward + 1


def test_error_responses_and_requests_are_counted(client):
    errors = value("quotes_errors_total", where="http", kind="404")
    requests = value("quotes_http_requests_total", method="GET",
                     route="/v1/articles/<string:article_id>", status="404")
    client.get("/v1/articles/art_missing")
    assert value("quotes_errors_total", where="http", kind="404") == errors + 1
    assert value("quotes_http_requests_total", method="GET",
                 route="/v1/articles/<string:article_id>", status="404") == requests + 1


def test_queue_depth_counts_the_articles_waiting_in_jobs(app, client):
    with app.extensions["database"].transaction() as session:
        payloads = [work.fields_to_payload(work.ArticleFields(text=f"{TRUMP} {i}")) for i in range(3)]
        job_id = jobs_repository.create_job(session, "batch", payloads).id
    samples = scrape(client)
    assert samples[("quotes_queue_depth", (("status", "queued"),))] == 3
    assert samples[("quotes_webhook_deliveries_pending", ())] == 0
    work.run_items(services(app), job_id, [0, 1, 2])
    assert scrape(client)[("quotes_queue_depth", (("status", "queued"),))] == 0


def test_with_celery_the_broker_queue_length_is_reported(database_url):
    prefix = f"quotes-test-{uuid.uuid4().hex[:8]}:"
    app = make_app(database_url, JOBS_EXECUTOR="celery", CELERY_BROKER_URL=TEST_REDIS,
                   CELERY_KEY_PREFIX=prefix)
    try:
        client = app.test_client()  # no worker runs: the messages wait in Redis
        client.post("/v1/batches", json={"articles": [{"text": TRUMP}, {"text": TRUMP + " 2"}]})
        samples = scrape(client)
        assert samples[("quotes_broker_queue_length", (("queue", "quotes"),))] == 2
        assert samples[("quotes_broker_queue_length", (("queue", "quotes.webhooks"),))] == 0
        assert samples[("quotes_queue_depth", (("status", "queued"),))] == 2
    finally:
        app.extensions["database"].dispose()
        client = redis.Redis.from_url(TEST_REDIS)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()
