"""POST/GET/DELETE /v1/articles through the Flask test client, on both database backends."""
from __future__ import annotations

import pytest

ARTICLE = (
    'Donald Trump said: "I don\'t like the TPP deal for our workers."\n\n'
    'Later, "It is a great day," Trump said.'
)


def post(client, headers=None, **body):
    body.setdefault("text", ARTICLE)
    return client.post("/v1/articles", json=body, headers=headers)


def count_articles(client) -> int:
    return len(client.get("/v1/articles?limit=100").json["items"])


def test_post_returns_the_analysis_with_consistent_offsets(client):
    response = post(client, title="Summit", published_at="2018-04-18", external_id="cms-1")
    assert response.status_code == 201
    article = response.json
    assert response.headers["Location"] == f"/v1/articles/{article['id']}"
    assert article["external_id"] == "cms-1" and article["published_at"] == "2018-04-18"
    assert article["model_version"].startswith("fake-quotes@1")
    assert len(article["quotes"]) == 2
    text = article["text"]
    for quote in article["quotes"]:
        for key in ("content", "cue", "source"):
            span = quote[key]
            assert text[span["start"]:span["end"]] == span["text"]
    first = article["quotes"][0]
    assert first["speaker"]["name"] == "Donald Trump"
    assert first["topic"]["id"] == "tpp" and first["stance"]["label"] == "against"
    # one speaker for both quotes, listed once
    assert article["speakers"] == [{"id": first["speaker"]["id"], "name": "Donald Trump"}]
    assert article["quotes"][1]["speaker"]["id"] == first["speaker"]["id"]


def test_get_returns_the_same_object(client):
    created = post(client).json
    fetched = client.get(f"/v1/articles/{created['id']}")
    assert fetched.status_code == 200 and fetched.json == created


def test_same_text_returns_the_stored_analysis(client):
    first = post(client)
    second = post(client)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json["id"] == first.json["id"]
    assert count_articles(client) == 1


def test_same_external_id_returns_the_stored_analysis(client):
    first = post(client, external_id="cms-7")
    again = post(client, external_id="cms-7")
    assert again.status_code == 200 and again.json["id"] == first.json["id"]


def test_revised_text_under_the_same_external_id_replaces_the_analysis(client):
    first = post(client, external_id="cms-8")
    revised = post(client, external_id="cms-8", text='Mary Jones said: "We like it."')
    assert revised.status_code == 201  # a new analysis, of the same article
    assert revised.json["id"] == first.json["id"]
    assert [q["speaker"]["name"] for q in revised.json["quotes"]] == ["Mary Jones"]
    assert count_articles(client) == 1


def test_idempotency_key_replays_and_refuses_a_different_body(client):
    headers = {"Idempotency-Key": "abc-123"}
    first = client.post("/v1/articles", json={"text": ARTICLE}, headers=headers)
    replay = client.post("/v1/articles", json={"text": ARTICLE}, headers=headers)
    other = client.post("/v1/articles", json={"text": "Other text."}, headers=headers)
    assert first.status_code == 201 and replay.status_code == 200
    assert replay.json["id"] == first.json["id"]
    assert other.status_code == 422
    assert other.mimetype == "application/problem+json"
    assert count_articles(client) == 1


def test_replaying_a_key_after_a_revision_changes_nothing(client, db):
    from sqlalchemy import func, select

    from service.db.tables import IdempotencyRecord

    first_text, revised_text = 'Mary Jones said: "We like the TPP."', 'Mary Jones said: "We hate the TPP."'
    first = client.post("/v1/articles", json={"text": first_text, "external_id": "e1"},
                        headers={"Idempotency-Key": "K1"})
    revised = client.post("/v1/articles", json={"text": revised_text, "external_id": "e1"},
                          headers={"Idempotency-Key": "K2"})
    assert (first.status_code, revised.status_code) == (201, 201)
    with db.session() as session:  # the revision kept the key of the first analysis
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 2
    replay = client.post("/v1/articles", json={"text": first_text, "external_id": "e1"},
                         headers={"Idempotency-Key": "K1"})
    # Not analysed again: the article the key created, as it is now (revised), read back.
    assert replay.status_code == 200 and replay.json == revised.json
    assert client.get(f"/v1/articles/{first.json['id']}").json == revised.json
    again = client.post("/v1/articles", json={"text": revised_text, "external_id": "e1"},
                        headers={"Idempotency-Key": "K2"})
    assert again.status_code == 200 and again.json == revised.json


def test_a_key_answered_with_a_stored_article_is_recorded(client):
    stored = client.post("/v1/articles", json={"text": ARTICLE})
    headers = {"Idempotency-Key": "K"}
    found = client.post("/v1/articles", json={"text": ARTICLE}, headers=headers)
    assert (stored.status_code, found.status_code) == (201, 200)
    other = client.post("/v1/articles", json={"text": 'Bob Smith said: "No."'}, headers=headers)
    assert other.status_code == 422 and other.mimetype == "application/problem+json"
    replay = client.post("/v1/articles", json={"text": ARTICLE}, headers=headers)
    assert replay.status_code == 200 and replay.json["id"] == stored.json["id"]
    assert count_articles(client) == 1


def test_html_is_converted_and_flagged(client):
    html = '<p>Donald Trump said: "I like <b>bilateral</b> deals."</p><script>x()</script>'
    article = post(client, text=html).json
    assert article["converted_from_html"] is True
    assert "<" not in article["text"] and "x()" not in article["text"]
    quote = article["quotes"][0]
    assert article["text"][quote["content"]["start"]:quote["content"]["end"]] == "I like bilateral deals."


def test_list_is_paginated_newest_first(client):
    ids = [post(client, text=f"Article number {i}.").json["id"] for i in range(5)]
    page1 = client.get("/v1/articles?limit=2").json
    page2 = client.get(f"/v1/articles?limit=2&cursor={page1['next_cursor']}").json
    page3 = client.get(f"/v1/articles?limit=2&cursor={page2['next_cursor']}").json
    seen = [a["id"] for a in page1["items"] + page2["items"] + page3["items"]]
    assert seen == list(reversed(ids))
    assert page3["next_cursor"] is None


def test_delete_removes_the_article_and_its_quotes(client, db):
    from sqlalchemy import func, select

    from service.db.tables import Quote

    article = post(client).json
    assert client.delete(f"/v1/articles/{article['id']}").status_code == 204
    assert client.get(f"/v1/articles/{article['id']}").status_code == 404
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Quote)) == 0
    assert client.delete(f"/v1/articles/{article['id']}").status_code == 404


def test_unknown_article_is_a_problem(client):
    response = client.get("/v1/articles/art_nope")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert {"type", "title", "status", "detail"} <= response.json.keys()


@pytest.mark.parametrize("published_at", ["2018-04-18T23:30:00-04:00", "2018-04-18T09:30:00Z",
                                          "2018-04-18T09:30:00.250"])
def test_a_cms_date_time_is_taken_for_its_calendar_date_as_written(client, published_at):
    response = post(client, published_at=published_at)
    assert response.status_code == 201, response.json
    assert response.json["published_at"] == "2018-04-18"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({"text": 42}, "text"),
        ({}, "text"),
        ({"text": "ok", "published_at": "18/04/2018"}, "published_at"),
        ({"text": "ok", "published_at": "2018-02-30"}, "published_at"),
        ({"text": "ok", "published_at": "2018-04-18T25:00:00Z"}, "published_at"),
        ({"text": "ok", "external_id": ""}, "external_id"),
        ({"text": "bin\x00ary"}, "text"),
        ({"text": "<p> </p>"}, "text"),
        ({"text": "ok", "language": "xx"}, "language"),
    ],
)
def test_invalid_fields_get_a_422_with_a_field_map_and_store_nothing(client, body, field):
    response = client.post("/v1/articles", json=body)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]
    assert count_articles(client) == 0


def test_absurdly_long_text_is_refused(app, client):
    app.config["MAX_TEXT_CHARS"] = 1000
    response = post(client, text="word " * 1000)
    assert response.status_code == 422 and "text" in response.json["errors"]
    assert count_articles(client) == 0


def test_oversized_body_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = post(client, text="x" * 20_000)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert count_articles(client) == 0


@pytest.mark.parametrize(
    "data, content_type, status",
    [
        (b'{"text": "unterminated', "application/json", 400),
        (b"\xff\xfe\x00binary\x89PNG", "application/json", 400),
        (b'{"text": "caf\xe9"}', "application/json", 400),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "application/octet-stream", 415),
        (b"text=hello", "application/x-www-form-urlencoded", 415),
        (b"[1, 2]", "application/json", 422),
        (b'{"text": "He said \\ud800 hello."}', "application/json", 400),  # lone surrogate
        (b'{"text": "Hi.", "external_id": "\\udfff"}', "application/json", 400),
        (b"[" * 100_000, "application/json", 400),  # nested deeper than the parser goes
        (b'{"text": "Hi.", "title": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "application/json", 400),
    ],
)
def test_bodies_that_are_not_a_json_object_are_refused(client, data, content_type, status):
    response = client.post("/v1/articles", data=data, content_type=content_type)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert count_articles(client) == 0


def test_a_failing_pipeline_stores_nothing(app, client):
    stage = app.extensions["analyzer"].pipeline.stages[-1]
    original = stage.postprocess

    def explode(*args, **kwargs):
        raise RuntimeError("model crashed")

    stage.postprocess = explode
    try:
        response = post(client)
    finally:
        stage.postprocess = original
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert count_articles(client) == 0


def test_a_failing_write_stores_nothing(app, client, monkeypatch):
    from service.db import repository

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(repository, "record_idempotency", explode)
    response = client.post("/v1/articles", json={"text": ARTICLE}, headers={"Idempotency-Key": "k"})
    assert response.status_code == 500
    assert count_articles(client) == 0
    with app.extensions["database"].session() as session:
        from sqlalchemy import func, select

        from service.db.tables import Quote, Speaker

        assert session.scalar(select(func.count()).select_from(Quote)) == 0
        assert session.scalar(select(func.count()).select_from(Speaker)) == 0


def test_a_statement_reported_as_earlier_is_dated_and_flagged(client):
    text = 'Last week, Jane Doe said: "I love the bridge." Today she is silent. Mary Roe said: "Fine."'
    quotes = post(client, text=text, published_at="2018-04-18").json["quotes"]
    assert (quotes[0]["reported_earlier"], quotes[0]["said_on"]) == (True, "2018-04-11")
    assert (quotes[1]["reported_earlier"], quotes[1]["said_on"]) == (False, None)


def test_the_same_text_under_another_external_id_is_the_stored_story(client):
    first = post(client, external_id="wire-1")
    again = post(client, external_id="wire-2")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"] and count_articles(client) == 1


def test_a_story_stored_without_external_id_is_found_by_its_text_and_takes_the_id(client):
    first = post(client)
    again = post(client, external_id="cms-9")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"] and again.json["external_id"] == "cms-9"
    corrected = post(client, external_id="cms-9", text='Mary Jones said: "We like it."')
    assert corrected.status_code == 201 and corrected.json["id"] == first.json["id"]
    assert count_articles(client) == 1  # the correction replaced the story, not added to it


def test_a_new_url_or_source_under_the_same_external_id_is_written_in_place(client):
    first = post(client, external_id="cms-5", url="https://a.example/1", source="Kyodo")
    again = post(client, external_id="cms-5", url="https://a.example/moved", source="AP")
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert (again.json["url"], again.json["source"]) == ("https://a.example/moved", "AP")
    assert again.json["quotes"] == first.json["quotes"]  # nothing analysed again
    stored = client.get(f"/v1/articles/{first.json['id']}").json
    assert (stored["url"], stored["source"]) == ("https://a.example/moved", "AP")


def test_a_url_left_out_is_kept_and_a_replayed_key_writes_nothing_back(client):
    first = post(client, external_id="cms-8", url="https://a.example/1",
                 headers={"Idempotency-Key": "k-1"})
    moved = post(client, external_id="cms-8", url="https://a.example/2")
    assert moved.status_code == 200 and moved.json["url"] == "https://a.example/2"
    assert post(client, external_id="cms-8").json["url"] == "https://a.example/2"
    replayed = post(client, external_id="cms-8", url="https://a.example/1",
                    headers={"Idempotency-Key": "k-1"})
    assert replayed.status_code == 200 and replayed.json["id"] == first.json["id"]
    assert client.get(f"/v1/articles/{first.json['id']}").json["url"] == "https://a.example/2"


def test_a_story_stored_without_id_then_posted_under_one_with_a_new_title_is_analysed_again(
        client):
    first = post(client, title="Summit")
    adopted = post(client, external_id="cms-4", title="Summit, updated")
    assert adopted.status_code == 201 and adopted.json["id"] == first.json["id"]
    assert (adopted.json["external_id"], adopted.json["title"]) == ("cms-4", "Summit, updated")
    again = post(client, external_id="cms-4", title="Summit, updated")
    assert again.status_code == 200 and count_articles(client) == 1


@pytest.mark.parametrize("change", [{"title": "Summit, updated"}, {"published_at": "2018-04-19"}])
def test_a_new_title_or_date_under_the_same_external_id_is_analysed_again(client, change):
    fields = {"external_id": "cms-6", "title": "Summit", "published_at": "2018-04-18"}
    first = post(client, **fields)
    revised = post(client, **{**fields, **change})
    assert revised.status_code == 201 and revised.json["id"] == first.json["id"]
    key, value = next(iter(change.items()))
    assert revised.json[key] == value and count_articles(client) == 1


def test_a_write_that_loses_a_speaker_to_a_retraction_links_again(app, client, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from service.db import repository

    original, calls = repository.save_analysis, []

    def first_write_races_a_delete(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT INTO quotes", {}, Exception("speaker gone"))
        return original(*args, **kwargs)

    monkeypatch.setattr(repository, "save_analysis", first_write_races_a_delete)
    response = post(client)
    assert response.status_code == 201 and len(calls) == 2
    assert count_articles(client) == 1


def test_deleting_an_article_removes_the_speakers_only_it_quoted(client):
    only_here = post(client, text='Zed Quux said: "We hate the new tariffs."').json
    shared = post(client).json
    also_trump = post(client, text='Donald Trump said: "The talks went well."').json
    assert client.delete(f"/v1/articles/{only_here['id']}").status_code == 204
    assert client.delete(f"/v1/articles/{shared['id']}").status_code == 204
    assert client.get("/v1/speakers?q=quux").json["items"] == []
    zed = only_here["quotes"][0]["speaker"]["id"]
    assert client.get(f"/v1/speakers/{zed}").status_code == 404
    trump = also_trump["quotes"][0]["speaker"]["id"]
    kept = client.get(f"/v1/speakers/{trump}")
    assert kept.status_code == 200 and kept.json["quote_count"] == 1


def test_a_revision_removes_the_speakers_only_its_old_text_quoted(client):
    first = post(client, external_id="e1", text='Mary Jones said: "We like the TPP."').json
    kept = post(client, text='Ann Lee said: "Fine."').json
    revised = post(client, external_id="e1",
                   text='Bob Smith said: "We hate the TPP."\n\nLater, Ann Lee said: "Me too."')
    assert revised.status_code == 201
    assert client.get("/v1/speakers?q=jones").json["items"] == []
    mary = first["quotes"][0]["speaker"]["id"]
    assert client.get(f"/v1/speakers/{mary}").status_code == 404
    ann = client.get(f"/v1/speakers/{kept['quotes'][0]['speaker']['id']}")
    assert ann.status_code == 200 and ann.json["quote_count"] == 2
    bob = client.get("/v1/speakers?q=smith").json["items"]
    assert [s["quote_count"] for s in bob] == [1]


def test_moments_carry_their_utc_offset_on_every_database(client):
    created = post(client).json["created_at"]
    assert created.endswith("+00:00"), created
