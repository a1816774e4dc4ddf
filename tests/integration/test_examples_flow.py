"""The whole flow on ../shared/examples with the shipped models: post both stories through the
API, then read Trump's and Abe's quotes and Trump's TPP history, as an editor would."""
import pytest

from tests.conftest import make_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def posted(full_pipeline, examples, tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('db') / 'examples.db'}", pipeline=full_pipeline)
    client = app.test_client()
    articles = []
    for name, (day, text) in examples.items():
        response = client.post("/v1/articles", json={"text": text, "published_at": day,
                                                     "external_id": name})
        assert response.status_code == 201, response.json
        articles.append(response.json)
    return client, articles


def quotes_of(articles):
    return [q for a in articles for q in a["quotes"]]


def find(articles, words):
    matches = [q for q in quotes_of(articles) if words in q["content"]["text"]]
    assert matches, f"no quote contains {words!r}"
    return matches[0]


def test_offsets_hold_for_every_span(posted):
    _, articles = posted
    for article in articles:
        for quote in article["quotes"]:
            for key in ("content", "cue", "source"):
                span = quote[key]
                if span:
                    assert article["text"][span["start"]:span["end"]] == span["text"]
        assert article["model_version"]


def test_trumps_tweet_and_its_continuation_are_trumps(posted):
    _, articles = posted
    assert find(articles, "I don’t like the deal")["speaker"]["name"] == "Donald Trump"
    assert find(articles, "Too many contingencies")["speaker"]["name"] == "Donald Trump"


def test_he_told_trump_is_abe(posted):
    _, articles = posted
    quote = find(articles, "I am very grateful for your commitment")
    assert quote["source"]["text"].lower() == "he"
    assert quote["speaker"]["name"] == "Shinzo Abe"


def test_one_id_per_leader_across_both_stories(posted):
    client, articles = posted
    trump_ids = {q["speaker"]["id"] for q in quotes_of(articles)
                 if q["speaker"] and q["speaker"]["name"].endswith("Trump")  # not his administration
                 and "Melania" not in q["speaker"]["name"]}
    assert len(trump_ids) == 1
    found = client.get("/v1/speakers?q=trump").json["items"]
    assert trump_ids.pop() in {s["id"] for s in found}


def test_tpp_quotes_are_against_and_abductions_quote_is_favor(posted):
    _, articles = posted
    for words in ("I don’t like the deal", "I don't want to go back into TPP"):
        quote = find(articles, words)
        assert quote["topic"]["id"] == "tpp", quote
        assert quote["stance"]["label"] == "against", quote
    grateful = find(articles, "I am very grateful for your commitment")
    assert grateful["topic"]["id"] == "north-korea-abductions", grateful
    assert grateful["stance"]["label"] == "favor", grateful


def test_trumps_tpp_history_is_majority_against(posted):
    client, _ = posted
    trump = client.get("/v1/speakers?q=donald trump").json["items"][0]["id"]
    history = client.get(f"/v1/speakers/{trump}/stances?topic=tpp").json
    [summary] = history["summary"]
    counts = summary["counts"]
    assert counts["against"] > counts["favor"] and counts["against"] >= counts["neutral"], counts
    assert summary["majority"] == "against"
    stances = [item["stance"] for item in history["items"]]
    assert "against" in stances


def test_the_earlier_interest_in_rejoining_shows_as_reported_earlier(posted):
    client, articles = posted
    earlier = find(articles, "rejoining what is now")
    assert earlier["speaker"]["name"] == "Donald Trump"
    assert earlier["topic"]["id"] == "tpp"
    assert earlier["reported_earlier"] is True and earlier["said_on"] == "2018-04-11"
    trump = earlier["speaker"]["id"]
    items = client.get(f"/v1/speakers/{trump}/stances?topic=tpp").json["items"]
    assert earlier["id"] in {i["quote"]["id"] for i in items}
