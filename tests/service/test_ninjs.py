"""IPTC ninjs in (POST /v1/ninjs) and out (GET /v1/articles/{id}/ninjs)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from service.db.tables import Article

BODY = ('Donald Trump said: "I don\'t like the TPP deal for our workers."\n\n'
        '"We love the new tariffs on steel," Mary Jones said.')
STORY = {
    "uri": "urn:newsml:example.org:20180418:story-42",
    "type": "text",
    "headline": "Leaders split on trade",
    "versioncreated": "2018-04-19T08:00:00Z",
    "firstcreated": "2018-04-18T21:30:00+09:00",
    "language": "en-US",
    "copyrightholder": "Example News",
    "body_text": BODY,
    "urgency": 3,  # ninjs fields the service has no use for are ignored
}


def count_articles(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Article))


def test_a_ninjs_story_is_analysed_and_answered_as_ninjs(client):
    response = client.post("/v1/ninjs", json=STORY)
    assert response.status_code == 201
    doc = response.json
    assert doc["uri"] == STORY["uri"] and doc["headline"] == STORY["headline"]
    assert doc["body_text"] == BODY and doc["type"] == "text" and doc["language"] == "en"
    analysis = doc["x_quotes"]
    assert response.headers["Location"] == analysis["href"] == f"/v1/articles/{analysis['article_id']}"
    assert len(analysis["quotes"]) == 2
    for quote in analysis["quotes"]:
        for key in ("content", "cue", "source"):
            span = quote[key]
            assert doc["body_text"][span["start"]:span["end"]] == span["text"]
    assert {p["name"] for p in doc["person"]} == {"Donald Trump", "Mary Jones"}
    assert all(p["rel"] == "quoted" and p["code"].startswith("spk_") for p in doc["person"])
    assert {s["code"] for s in doc["subject"]} >= {"tpp"}
    article = client.get(analysis["href"]).json
    assert article["external_id"] == STORY["uri"] and article["title"] == STORY["headline"]
    assert article["published_at"] == "2018-04-18"  # firstcreated's own date
    assert article["source"] == "Example News"
    assert client.get(f"{analysis['href']}/ninjs").json == doc


def test_versioncreated_dates_the_story_when_firstcreated_is_missing(client):
    story = {k: v for k, v in STORY.items() if k != "firstcreated"}
    doc = client.post("/v1/ninjs", json=story).json
    assert client.get(doc["x_quotes"]["href"]).json["published_at"] == "2018-04-19"


def test_body_html_is_converted_and_the_offsets_refer_to_body_text(client):
    story = {"uri": "urn:x:html", "body_html": "<p>" + BODY.replace("\n\n", "</p><p>") + "</p>"}
    doc = client.post("/v1/ninjs", json=story).json
    assert doc["x_quotes"]["converted_from_html"] is True
    assert "<p>" not in doc["body_text"]
    quotes = doc["x_quotes"]["quotes"]
    assert len(quotes) == 2, quotes  # the same two quotes as in BODY as plain text
    for quote in quotes:
        span = quote["content"]
        assert doc["body_text"][span["start"]:span["end"]] == span["text"]


def test_ninjs_2_headlines_and_bodies_are_understood(client):
    story = {"uri": "urn:x:v2", "headlines": [{"role": "main", "value": "Trade"}],
             "bodies": [{"role": "main", "contenttype": "text/plain", "value": BODY}]}
    doc = client.post("/v1/ninjs", json=story).json
    assert doc["headline"] == "Trade" and doc["body_text"] == BODY


def test_the_ninjs_media_type_is_accepted(client):
    response = client.post("/v1/ninjs", data=json.dumps(STORY),
                           content_type="application/ninjs+json")
    assert response.status_code == 201


def test_a_story_posted_again_or_revised_keeps_one_article(client, db):
    first = client.post("/v1/ninjs", json=STORY)
    again = client.post("/v1/ninjs", json=STORY)
    revised = client.post("/v1/ninjs", json=STORY | {"body_text": 'Ann Lee said: "Guns never."'})
    assert (first.status_code, again.status_code, revised.status_code) == (201, 200, 201)
    ids = {r.json["x_quotes"]["article_id"] for r in (first, again, revised)}
    assert len(ids) == 1 and count_articles(db) == 1
    assert [p["name"] for p in revised.json["person"]] == ["Ann Lee"]


def test_async_ninjs_answers_with_a_job(client):
    response = client.post("/v1/ninjs?mode=async", json=STORY)
    assert response.status_code == 202
    item = response.json["items"][0]
    assert item["external_id"] == STORY["uri"] and item["status"] == "succeeded"


@pytest.mark.parametrize("story, field", [
    ({k: v for k, v in STORY.items() if k != "uri"}, "uri"),
    ({k: v for k, v in STORY.items() if k != "body_text"}, "body_text"),
    (STORY | {"body_text": "   "}, "body_text"),
    (STORY | {"body_text": None, "body_html": "<p>  </p>"}, "body_html"),
    (STORY | {"body_text": "bin\x00ary"}, "body_text"),
    (STORY | {"language": "fr"}, "language"),
    (STORY | {"versioncreated": "last tuesday"}, "versioncreated"),
    (STORY | {"uri": "u" * 256}, "uri"),
    (STORY | {"bodies": "text"}, "bodies"),
])
def test_invalid_stories_are_refused_and_nothing_is_stored(client, db, story, field):
    response = client.post("/v1/ninjs", json=story)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert field in response.json["errors"], response.json
    assert count_articles(db) == 0


def test_any_article_can_be_had_as_ninjs(client):
    article = client.post("/v1/articles", json={"text": BODY, "title": "T"}).json
    doc = client.get(f"/v1/articles/{article['id']}/ninjs").json
    assert doc["uri"] == f"urn:quotes:article:{article['id']}" and doc["headline"] == "T"
    assert [q["id"] for q in doc["x_quotes"]["quotes"]] == [q["id"] for q in article["quotes"]]
    missing = client.get("/v1/articles/art_nothing/ninjs")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
