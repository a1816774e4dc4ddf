"""Health, readiness, request ids, JSON logs, the OpenAPI document and the docs page."""
import json
import logging

from config.logging_setup import configure_logging
from config.settings import TestingConfig
from service import create_app

CONTRACT = {
    ("/v1/articles", "post"), ("/v1/articles", "get"), ("/v1/articles/{article_id}", "get"),
    ("/v1/articles/{article_id}", "delete"), ("/v1/speakers", "get"),
    ("/v1/speakers/{speaker_id}", "get"), ("/v1/speakers/{speaker_id}/stances", "get"),
    ("/v1/topics", "get"), ("/v1/topics", "post"), ("/v1/stance", "post"),
    ("/healthz", "get"), ("/readyz", "get"),
}


def test_openapi_lists_every_contract_endpoint(client):
    spec = client.get("/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    have = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert CONTRACT <= have


def test_openapi_documents_problem_errors_and_bearer_keys(client):
    spec = client.get("/v1/openapi.json").json
    for name in ("DEFAULT_ERROR", "UNPROCESSABLE_ENTITY"):
        assert list(spec["components"]["responses"][name]["content"]) == ["application/problem+json"]
    assert spec["components"]["securitySchemes"]["bearerAuth"] == spec["components"][
        "securitySchemes"]["bearerAuth"] | {"type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearerAuth": []}]
    for path in ("/healthz", "/readyz", "/metrics"):  # open with keys too
        assert spec["paths"][path]["get"]["security"] == [], path


def test_openapi_gives_every_stance_field_its_three_labels(client):
    schemas = client.get("/v1/openapi.json").json["components"]["schemas"]
    for schema, field in (("StanceRef", "label"), ("StanceOut", "label"),
                          ("HistoryItem", "stance"), ("TopicSummary", "latest"),
                          ("Period", "majority")):
        assert schemas[schema]["properties"][field]["enum"] == ["favor", "against", "neutral"], schema
    tie = schemas["TopicSummary"]["properties"]["majority"]
    assert tie["enum"] == ["favor", "against", "neutral", None] and tie["nullable"] is True


def test_docs_page_is_self_contained(client):
    page = client.get("/docs")
    assert page.status_code == 200 and b"/v1/speakers/{speaker_id}/stances" in page.data
    assert b"http" not in page.data.split(b"<body>")[0]  # no CDN assets in the head


def test_readiness_waits_for_models(database_url):
    app = create_app(TestingConfig, DATABASE_URL=database_url, PIPELINE="fake-never-built")
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["checks"]["models"] == "loading"


def test_ready_when_models_and_database_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"models": "ok", "database": "ok"}


def test_request_id_is_echoed_and_logged(client, capsys):
    configure_logging("INFO", json_logs=True)
    try:
        response = client.get("/v1/topics", headers={"X-Request-ID": "req-42"})
        assert response.headers["X-Request-ID"] == "req-42"
        generated = client.get("/healthz").headers["X-Request-ID"]
        assert len(generated) == 32
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
        assert any(l.get("request_id") == "req-42" and l.get("path") == "/v1/topics" for l in lines)
    finally:
        logging.getLogger().setLevel(logging.WARNING)


def test_unknown_route_is_a_problem(client):
    response = client.get("/v1/nothing")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    response = client.put("/v1/topics", json={})
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
