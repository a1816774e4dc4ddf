"""Speakers persist across articles with their aliases, and can be searched."""


def post(client, text, **extra):
    response = client.post("/v1/articles", json={"text": text, **extra})
    assert response.status_code == 201, response.json
    return response.json


def speaker_ids(article):
    return {q["speaker"]["name"]: q["speaker"]["id"] for q in article["quotes"] if q["speaker"]}


def test_name_variants_across_articles_are_one_speaker(client):
    first = post(client, 'Donald Trump said: "We will win."')
    second = post(client, '"It was a good meeting," Trump said.')
    third = post(client, 'President Trump said: "Tariffs work."')
    ids = {speaker_ids(a).popitem()[1] for a in (first, second, third)}
    assert len(ids) == 1
    speaker = client.get(f"/v1/speakers/{ids.pop()}").json
    assert speaker["name"] == "Donald Trump"
    assert "Trump" in speaker["aliases"] and "President Trump" in speaker["aliases"]
    assert speaker["quote_count"] == 3


def test_different_people_with_one_surname_stay_apart(client):
    first = post(client, 'John Smith said: "The bill is good."')
    second = post(client, 'Mary Smith said: "The bill is bad."')
    assert speaker_ids(first)["John Smith"] != speaker_ids(second)["Mary Smith"]


def test_search_finds_names_and_aliases(client):
    post(client, 'Donald Trump said: "We will win." "Maybe," Shinzo Abe said.')
    found = client.get("/v1/speakers?q=trump").json["items"]
    assert [s["name"] for s in found] == ["Donald Trump"]
    assert client.get("/v1/speakers?q=ABE").json["items"][0]["name"] == "Shinzo Abe"
    assert client.get("/v1/speakers?q=nobody").json["items"] == []
    everyone = client.get("/v1/speakers?limit=1").json
    assert len(everyone["items"]) == 1 and everyone["next_cursor"]
    rest = client.get(f"/v1/speakers?limit=1&cursor={everyone['next_cursor']}").json
    assert rest["items"][0]["id"] != everyone["items"][0]["id"]


def test_exact_matches_come_first_and_pages_keep_that_order(client):
    post(client, 'Trump Organization said: "Sales are up."')
    post(client, 'Donald Trump said: "We will win." "Maybe," Trump said.')
    names = [s["name"] for s in client.get("/v1/speakers?q=trump").json["items"]]
    assert names == ["Donald Trump", "Trump Organization"]  # "Trump" is an alias of the man
    first = client.get("/v1/speakers?q=trump&limit=1").json
    second = client.get(f"/v1/speakers?q=trump&limit=1&cursor={first['next_cursor']}").json
    assert [first["items"][0]["name"], second["items"][0]["name"]] == names
    assert second["next_cursor"] is None


def test_search_wildcards_are_plain_characters(client):
    post(client, 'Donald Trump said: "We will win."')
    assert client.get("/v1/speakers?q=%25").json["items"] == []
    assert client.get("/v1/speakers?q=_").json["items"] == []
    assert client.get("/v1/speakers?q=tr_mp").json["items"] == []


def test_unknown_speaker_and_bad_queries(client):
    assert client.get("/v1/speakers/spk_nope").status_code == 404
    assert client.get("/v1/speakers?limit=0").status_code == 422
    assert client.get("/v1/speakers?limit=abc").status_code == 422
    forged = client.get("/v1/speakers?cursor=%%%")
    assert forged.status_code == 400 and forged.mimetype == "application/problem+json"
    assert forged.json["errors"] == {"cursor": ["not a cursor this service issued"]}
    one_part = "WyJzcGtfMDEiXQ"  # base64url of ["spk_01"]: a cursor of the old (id) format
    assert client.get(f"/v1/speakers?cursor={one_part}").status_code == 400


def test_an_organisation_is_one_speaker_under_either_usual_form(database_url):
    """With the real speaker sieve, which knows the other usual form of a name."""
    from models.baseline import RuleQuoteExtractor
    from models.pipeline import Pipeline
    from models.speakers import SpeakerResolver
    from tests.conftest import make_app

    app = make_app(database_url, pipeline=Pipeline([RuleQuoteExtractor(), SpeakerResolver()]))
    try:
        client = app.test_client()
        first = post(client, '"The inquiry is closed," the Justice Department said.')
        second = post(client, '"No charges will follow," the Department of Justice said.')
        assert speaker_ids(first) == speaker_ids(second)
    finally:
        app.extensions["database"].dispose()
