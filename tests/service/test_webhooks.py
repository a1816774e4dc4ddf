"""Webhooks: registration, Standard Webhooks signatures verified on a real loopback receiver,
retries with backoff, the delivery log, and what is never done (redirects, other hosts)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from service.db.tables import WebhookEndpoint

TRUMP = 'Donald Trump said: "I don\'t like the TPP deal for our workers."'
JONES = 'Mary Jones said: "We love the new tariffs on steel."'


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that records every POST and answers with the scripted
    statuses in turn (the last one repeats)."""

    def __init__(self, statuses=(204,), headers=None):
        self.statuses, self.extra_headers = list(statuses), headers or {}
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": body})
                status = receiver.statuses[min(len(receiver.requests), len(receiver.statuses)) - 1]
                self.send_response(status)
                for name, value in receiver.extra_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/quotes"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(*statuses, headers=None):
        made.append(Receiver(statuses or (204,), headers))
        return made[-1]

    yield make
    for r in made:
        r.close()


def register(client, url, events=None):
    body = {"url": url} | ({"events": events} if events is not None else {})
    response = client.post("/v1/webhooks", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_register_list_get_and_delete(client):
    created = register(client, "http://127.0.0.1:9/hooks", ["article.analyzed"])
    assert created["secret"].startswith("whsec_") and created["events"] == ["article.analyzed"]
    listed = client.get("/v1/webhooks").json["items"]
    assert [w["id"] for w in listed] == [created["id"]] and "secret" not in listed[0]
    one = client.get(f"/v1/webhooks/{created['id']}").json
    assert one["url"] == "http://127.0.0.1:9/hooks" and "secret" not in one
    assert client.delete(f"/v1/webhooks/{created['id']}").status_code == 204
    assert client.get(f"/v1/webhooks/{created['id']}").status_code == 404
    assert client.delete(f"/v1/webhooks/{created['id']}").status_code == 404
    assert client.get(f"/v1/webhooks/{created['id']}/deliveries").status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"url": "ftp://127.0.0.1/x"}, "url"),
    ({"url": "http:///nohost"}, "url"),
    ({"url": "http://user:pw@127.0.0.1/x"}, "url"),
    ({"url": "http://127.0.0.1:99999/x"}, "url"),
    ({"url": "https://cms.example.org/x"}, "url"),  # not among the allowed hosts of the tests
    ({"url": "http://127.0.0.1/x y"}, "url"),
    ({"url": "http://127.0.0.1/x", "events": ["article.deleted"]}, "events.0"),
    ({"url": "http://127.0.0.1/x", "events": []}, "events"),
    ({"events": ["job.completed"]}, "url"),
])
def test_invalid_registrations_are_refused_and_nothing_is_stored(client, db, body, field):
    response = client.post("/v1/webhooks", json=body)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert field in response.json["errors"]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 0


def test_a_signed_delivery_reaches_a_real_receiver_and_is_retried_until_accepted(client, receiver):
    server = receiver(500, 204)  # fails once, then accepts
    hook = register(client, server.url)
    article = client.post("/v1/articles", json={"text": TRUMP, "external_id": "cms-1"}).json

    assert len(server.requests) == 2
    first, second = server.requests
    assert first["path"] == "/hooks/quotes"
    # The receiver's side of Standard Webhooks: verify with the secret from registration.
    payload = Webhook(hook["secret"]).verify(second["body"], second["headers"])
    assert payload["type"] == "article.analyzed"
    assert payload["data"]["id"] == article["id"] and payload["data"]["external_id"] == "cms-1"
    assert payload["data"]["quote_count"] == 1
    assert payload["data"]["links"]["ninjs"] == f"/v1/articles/{article['id']}/ninjs"
    # The retry is the same message (same webhook-id, same body), signed again.
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    assert first["body"] == second["body"]
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 44).verify(second["body"], second["headers"])

    log = client.get(f"/v1/webhooks/{hook['id']}/deliveries").json["items"]
    assert len(log) == 1
    delivery = log[0]
    assert delivery["id"] == first["headers"]["webhook-id"] and delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 204]
    assert delivery["payload"] == payload and delivery["delivered_at"] is not None


def test_job_completed_goes_only_to_its_subscribers(client, receiver):
    jobs_only, everything = receiver(), receiver()
    hook = register(client, jobs_only.url, ["job.completed"])
    register(client, everything.url)
    job = client.post("/v1/batches", json={"articles": [{"text": TRUMP}, {"text": JONES}]}).json

    assert len(jobs_only.requests) == 1
    event = Webhook(hook["secret"]).verify(jobs_only.requests[0]["body"], jobs_only.requests[0]["headers"])
    assert event["type"] == "job.completed" and event["data"]["id"] == job["id"]
    assert event["data"]["status"] == "succeeded" and event["data"]["progress"]["succeeded"] == 2
    types = sorted(json.loads(r["body"])["type"] for r in everything.requests)
    assert types == ["article.analyzed", "article.analyzed", "job.completed"]


def test_a_stored_analysis_is_not_announced_again(client, receiver):
    server = receiver()
    register(client, server.url)
    client.post("/v1/articles", json={"text": TRUMP})
    client.post("/v1/articles", json={"text": TRUMP})
    assert len(server.requests) == 1
    client.post("/v1/articles", json={"text": TRUMP, "external_id": "a"})  # the same story
    assert len(server.requests) == 1
    client.post("/v1/articles", json={"text": JONES, "external_id": "b"})  # new article: again
    client.post("/v1/articles", json={"text": JONES + " More.", "external_id": "b"})  # a revision
    assert len(server.requests) == 3


def test_deliveries_are_given_up_after_the_last_retry(client, receiver):
    server = receiver(503)
    hook = register(client, server.url, ["article.analyzed"])
    client.post("/v1/articles", json={"text": TRUMP})
    assert len(server.requests) == 3  # the first attempt and the two retries of the test config
    delivery = client.get(f"/v1/webhooks/{hook['id']}/deliveries").json["items"][0]
    assert delivery["status"] == "failed" and delivery["next_attempt_at"] is None
    assert [a["status_code"] for a in delivery["attempts"]] == [503, 503, 503]
    assert delivery["attempts"][0]["error"].startswith("HTTP 503")


def test_redirects_are_not_followed(client, receiver):
    elsewhere = receiver()
    redirecting = receiver(307, headers={"Location": elsewhere.url})
    hook = register(client, redirecting.url, ["article.analyzed"])
    client.post("/v1/articles", json={"text": TRUMP})
    assert len(redirecting.requests) == 3 and elsewhere.requests == []
    delivery = client.get(f"/v1/webhooks/{hook['id']}/deliveries").json["items"][0]
    assert delivery["status"] == "failed"


def test_an_unreachable_endpoint_is_logged_and_the_article_still_answers(client):
    hook = register(client, "http://127.0.0.1:9/closed", ["article.analyzed"])
    response = client.post("/v1/articles", json={"text": TRUMP})
    assert response.status_code == 201
    delivery = client.get(f"/v1/webhooks/{hook['id']}/deliveries").json["items"][0]
    assert delivery["status"] == "failed"
    assert len(delivery["attempts"]) == 3  # the first attempt and the two retries of the test config
    assert all(a["status_code"] is None and a["error"] for a in delivery["attempts"])


def test_a_deleted_endpoint_hears_nothing_more(client, receiver):
    server = receiver()
    hook = register(client, server.url)
    client.delete(f"/v1/webhooks/{hook['id']}")
    client.post("/v1/articles", json={"text": TRUMP})
    assert server.requests == []


def test_delivery_log_pages_newest_first(client, receiver):
    server = receiver()
    hook = register(client, server.url, ["article.analyzed"])
    for i in range(3):
        client.post("/v1/articles", json={"text": f"{TRUMP} Take {i}."})
    first = client.get(f"/v1/webhooks/{hook['id']}/deliveries?limit=2").json
    rest = client.get(f"/v1/webhooks/{hook['id']}/deliveries?limit=2&cursor={first['next_cursor']}").json
    ids = [d["id"] for d in first["items"] + rest["items"]]
    assert len(ids) == 3 and ids == sorted(ids, reverse=True) and rest["next_cursor"] is None


def test_a_host_removed_from_the_allowed_list_is_not_called_any_more(app, client, receiver):
    server = receiver()
    hook = register(client, server.url, ["article.analyzed"])
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ("cms.example.org",)
    client.post("/v1/articles", json={"text": TRUMP})
    assert server.requests == []
    delivery = client.get(f"/v1/webhooks/{hook['id']}/deliveries").json["items"][0]
    assert delivery["status"] == "failed" and len(delivery["attempts"]) == 1
    assert "not among the hosts" in delivery["attempts"][0]["error"]
