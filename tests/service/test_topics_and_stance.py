"""Topic catalogue, adding topics without retraining, re-tagging, and POST /v1/stance."""
import sys

from service.cli import load_catalogue


def test_default_catalogue_is_served(app, client):
    items = client.get("/v1/topics").json["items"]
    ids = {t["id"] for t in items}
    assert {"tpp", "north-korea-abductions", "immigration", "health-care", "nafta"} <= ids
    assert len(items) == len(load_catalogue(app.config["TOPICS_FILE"]))
    tpp = client.get("/v1/topics/tpp").json
    assert tpp["label"] == "Trans-Pacific Partnership" and "TPP" in tpp["keywords"]
    assert client.get("/v1/topics/nope").status_code == 404


def test_the_catalogue_comes_whole_or_in_pages(client):
    whole = client.get("/v1/topics").json
    assert whole["next_cursor"] is None
    paged, cursor = [], None
    while True:
        body = client.get("/v1/topics", query_string={"limit": 10, "cursor": cursor}).json
        assert len(body["items"]) <= 10
        paged += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert paged == whole["items"] and len(paged) > 10
    assert client.get("/v1/topics?limit=0").status_code == 422
    assert client.get("/v1/topics?cursor=forged").status_code == 400


def test_an_added_topic_tags_the_next_articles(client):
    text = 'Jane Doe said: "I love the new bridge."'
    before = client.post("/v1/articles", json={"text": text}).json
    assert before["quotes"][0]["topic"] is None
    topic = {"id": "bridges", "label": "Bridges", "description": "Bridge building.",
             "keywords": ["bridge"]}
    created = client.post("/v1/topics", json=topic)
    assert created.status_code == 201 and created.json == topic
    after = client.post("/v1/articles", json={"text": text + " Jane Doe said: \"Yes.\""}).json
    assert after["quotes"][0]["topic"]["id"] == "bridges"
    assert after["quotes"][0]["stance"]["label"] == "favor"


def test_retag_relabels_stored_quotes(app, client):
    article = client.post("/v1/articles", json={"text": 'Jane Doe said: "I love the new bridge."'}).json
    client.post("/v1/topics", json={"id": "bridges", "label": "Bridges", "keywords": ["bridge"]})
    result = app.test_cli_runner().invoke(args=["topics", "retag"])
    assert result.exit_code == 0, result.output
    assert "1 articles re-tagged" in result.output
    quote = client.get(f"/v1/articles/{article['id']}").json["quotes"][0]
    assert quote["topic"]["id"] == "bridges" and quote["stance"]["label"] == "favor"
    speaker = quote["speaker"]["id"]
    history = client.get(f"/v1/speakers/{speaker}/stances").json
    assert history["summary"][0]["topic"]["id"] == "bridges"


def test_bad_topics_are_refused(client):
    assert client.post("/v1/topics", json={"id": "tpp", "label": "again"}).status_code == 409
    bad = client.post("/v1/topics", json={"id": "Not An Id!", "label": ""})
    assert bad.status_code == 422 and {"id", "label"} <= bad.json["errors"].keys()
    assert client.post("/v1/topics", json={"id": "x", "label": "X", "keywords": "k"}).status_code == 422
    blank = client.post("/v1/topics", json={"id": "x1", "label": "   ", "keywords": ["ok", " "]})
    assert blank.status_code == 422 and {"label", "keywords.1"} <= blank.json["errors"].keys()
    assert client.get("/v1/topics/x1").status_code == 404


def test_stance_endpoint(client):
    response = client.post("/v1/stance", json={"text": "We do not want that pact.",
                                                "target": "the Trans-Pacific Partnership"})
    assert response.status_code == 200
    body = response.json
    assert body["label"] == "against" and set(body["scores"]) == {"favor", "against", "neutral"}
    assert body["model_version"] == "fake-stance-1"
    missing = client.post("/v1/stance", json={"text": "  "})
    assert missing.status_code == 422 and {"text", "target"} <= missing.json["errors"].keys()


def test_a_body_nested_too_deeply_is_a_400(client):
    # Around the recursion limit too: a body our check parses could fail webargs' own parse.
    limit = sys.getrecursionlimit()
    for depth in (65, *range(limit - 250, limit + 10), 100_000):
        response = client.post("/v1/stance", data=b"[" * depth + b"]" * depth,
                               content_type="application/json")
        assert response.status_code == 400, depth
        assert response.mimetype == "application/problem+json"
        assert "_body" in response.json["errors"]
    shallow = client.post("/v1/stance", json={"text": [[["x"]]], "target": "y"})
    assert shallow.status_code == 422  # a few levels are a plain validation error
