"""GET /v1/speakers/{id}/stances: summary, shifts, ordering, filters and pagination."""
import pytest

from service import history


def post(client, text, day):
    response = client.post("/v1/articles", json={"text": text, "published_at": day})
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def trump(client):
    post(client, 'Donald Trump said: "I like the TPP, it is great."', "2017-01-10")
    post(client, 'Trump said: "I would love a TPP deal."', "2017-01-20")
    post(client, 'Trump said: "I don\'t like the TPP deal."', "2018-04-18")
    post(client, 'Trump said: "We will never go back into TPP."', "2018-04-19")
    post(client, 'Trump said: "Steel tariffs are great."', "2018-03-01")
    return client.get("/v1/speakers?q=trump").json["items"][0]["id"]


def test_summary_counts_latest_and_dates(client, trump):
    body = client.get(f"/v1/speakers/{trump}/stances").json
    assert body["speaker"]["name"] == "Donald Trump"
    tpp = next(s for s in body["summary"] if s["topic"]["id"] == "tpp")
    assert tpp["counts"] == {"favor": 2, "against": 2, "neutral": 0}
    assert tpp["latest"] == "against" and tpp["majority"] is None
    assert (tpp["first_seen"], tpp["last_seen"]) == ("2017-01-10", "2018-04-19")
    assert {s["topic"]["id"] for s in body["summary"]} == {"tpp", "steel-aluminum-tariffs"}


def test_items_newest_first_and_paged(client, trump):
    page1 = client.get(f"/v1/speakers/{trump}/stances?limit=2").json
    page2 = client.get(f"/v1/speakers/{trump}/stances?limit=2&cursor={page1['next_cursor']}").json
    page3 = client.get(f"/v1/speakers/{trump}/stances?limit=2&cursor={page2['next_cursor']}").json
    dates = [i["date"] for p in (page1, page2, page3) for i in p["items"]]
    assert dates == ["2018-04-19", "2018-04-18", "2018-03-01", "2017-01-20", "2017-01-10"]
    assert page3["next_cursor"] is None
    item = page1["items"][0]
    assert item["stance"] == "against" and item["quote"]["speaker"]["id"] == trump
    assert item["article"]["published_at"] == "2018-04-19"


def test_filters(client, trump):
    tpp = client.get(f"/v1/speakers/{trump}/stances?topic=tpp").json
    assert {i["topic"]["id"] for i in tpp["items"]} == {"tpp"} and len(tpp["items"]) == 4
    assert [s["topic"]["id"] for s in tpp["summary"]] == ["tpp"]
    window = client.get(f"/v1/speakers/{trump}/stances?since=2018-01-01&until=2018-04-18").json
    assert [i["date"] for i in window["items"]] == ["2018-04-18", "2018-03-01"]
    as_date_times = client.get(f"/v1/speakers/{trump}/stances"
                               "?since=2018-01-01T00:00:00Z&until=2018-04-18T12:00:00Z").json
    assert as_date_times["items"] == window["items"]


def test_shift_from_favor_to_against_is_explained_by_its_quotes(client, trump):
    body = client.get(f"/v1/speakers/{trump}/stances?topic=tpp").json
    [shift] = body["shifts"]
    assert shift["before"]["majority"] == "favor" and shift["after"]["majority"] == "against"
    assert shift["date"] == "2018-04-18"
    against_ids = {i["quote"]["id"] for i in body["items"] if i["stance"] == "against"}
    assert set(shift["quote_ids"]) == against_ids
    assert "Donald Trump" in shift["explanation"]


def test_errors(client, trump):
    assert client.get("/v1/speakers/spk_nope/stances").status_code == 404
    assert client.get(f"/v1/speakers/{trump}/stances?topic=nope").status_code == 404
    assert client.get(f"/v1/speakers/{trump}/stances?since=2018-13-01").status_code == 422
    bad_order = client.get(f"/v1/speakers/{trump}/stances?since=2018-02-01&until=2018-01-01")
    assert bad_order.status_code == 422 and "since" in bad_order.json["errors"]
    assert client.get(f"/v1/speakers/{trump}/stances?cursor=WyJ4Il0").status_code == 400


def test_periods_and_shifts_are_pure_functions():
    from datetime import date

    def day(month, d):
        return date(2018, month, d)

    rows = [(day(1, 5), day(1, 5), "favor", 2), (day(1, 9), day(1, 9), "against", 1),
            (day(2, 1), day(2, 1), "neutral", 1), (day(2, 2), day(2, 2), "against", 1),
            (day(3, 3), day(3, 30), "against", 3)]
    periods = history.bucket(rows)
    assert [p.majority for p in periods] == ["favor", None, "against"]
    [shift] = history.detect_shifts(periods)
    assert (shift.before.start, shift.after.start) == (date(2018, 1, 5), date(2018, 3, 3))
    assert shift.after.end == date(2018, 3, 30)
