"""/v1/people: the registry of public figures' roles, seeded from config and edited by editors,
and used by the speaker resolver for the next articles."""
import json
from pathlib import Path

import pytest

from models.baseline import RuleQuoteExtractor
from models.pipeline import Pipeline
from models.speakers import SpeakerResolver
from tests.conftest import make_app

LUND = {"name": "Vera Lund", "aliases": ["V. Lund"], "female": True,
        "roles": [{"as": "Ruritanian president", "from": "2020-01-01", "to": None}]}


def test_the_shipped_registry_is_served(app, client):
    items = client.get("/v1/people").json["items"]
    assert len(items) == len(json.loads(Path(app.config["PEOPLE_FILE"]).read_text()))
    putin = next(p for p in items if p["name"] == "Vladimir Putin")
    assert {"as": "Russian president", "from": "2012-05-07", "to": None} in putin["roles"]
    assert client.get(f"/v1/people/{putin['id']}").json == putin
    assert client.get("/v1/people/per_nobody").status_code == 404


def test_add_then_change_a_person(client):
    created = client.post("/v1/people", json=LUND)
    assert created.status_code == 201
    person = created.json
    assert person["name"] == "Vera Lund" and person["roles"] == LUND["roles"]
    assert person["by_surname"] is False and person["id"].startswith("per_")
    # she leaves office: close the role, add the next one
    roles = [{"as": "Ruritanian president", "from": "2020-01-01", "to": "2024-01-01"},
             {"as": "former Ruritanian president", "from": "2024-01-01"}]
    changed = client.put(f"/v1/people/{person['id']}", json={**LUND, "roles": roles})
    assert changed.status_code == 200
    assert changed.json["roles"][0]["to"] == "2024-01-01" and len(changed.json["roles"]) == 2
    assert client.get(f"/v1/people/{person['id']}").json == changed.json


@pytest.mark.parametrize("body, field", [
    ({**LUND, "name": "Lund"}, "name"),  # a full name is needed to know the person
    ({**LUND, "name": "The President"}, "name"),  # titles are not a name
    ({**LUND, "aliases": ["  "]}, "aliases"),
    ({**LUND, "roles": [{"as": "president", "form": "2020-01-01"}]}, "roles"),  # typo
    ({**LUND, "roles": [{"as": "president", "from": "2020-01-01", "to": "2019-01-01"}]}, "roles"),
    ({**LUND, "roles": [{"as": "  "}]}, "roles"),
    ({key: value for key, value in LUND.items() if key != "roles"}, "roles"),
    ({**LUND, "female": 7}, "female"),
])
def test_bad_people_get_a_422_and_change_nothing(client, body, field):
    before = client.get("/v1/people").json["items"]
    response = client.post("/v1/people", json=body)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in {key.split(".")[0] for key in response.json["errors"]}  # "roles.0.to"
    assert client.get("/v1/people").json["items"] == before


def test_one_entry_per_person(client):
    # however the name is written, and whether it is a name or an alias
    for name in ("Vladimir Putin", "vladimir putin", "President Vladimir V. Putin"):
        assert client.post("/v1/people", json={**LUND, "name": name}).status_code == 409, name
    alias = client.post("/v1/people", json={**LUND, "aliases": ["Hillary Rodham Clinton"]})
    assert alias.status_code == 409 and "Hillary Clinton" in alias.json["detail"]
    lund = client.post("/v1/people", json=LUND).json
    clash = client.put(f"/v1/people/{lund['id']}", json={**LUND, "name": "Vladimir Putin"})
    assert clash.status_code == 409 and clash.mimetype == "application/problem+json"
    assert client.get(f"/v1/people/{lund['id']}").json["name"] == "Vera Lund"
    assert client.put("/v1/people/per_nobody", json=LUND).status_code == 404


@pytest.fixture
def resolving_client(database_url):
    """The real rule extractor and speaker sieve (spaCy), fake-free: what editors see."""
    app = make_app(database_url, pipeline=Pipeline([RuleQuoteExtractor(), SpeakerResolver()]))
    yield app.test_client()
    app.extensions["database"].dispose()


def test_a_person_added_is_used_for_the_next_articles(resolving_client):
    client = resolving_client
    article = {"text": "The Ruritanian president said the border would reopen next week.",
               "published_at": "2022-05-01"}
    before = client.post("/v1/articles", json=article).json
    assert before["quotes"][0]["speaker"] is None
    assert client.post("/v1/people", json=LUND).status_code == 201
    article["text"] = article["text"].replace("next week", "on Monday")  # a new article
    after = client.post("/v1/articles", json=article).json
    assert after["quotes"][0]["speaker"]["name"] == "Vera Lund"


def test_a_concurrent_duplicate_is_a_409_not_a_500(client, monkeypatch):
    from service.db import repository

    assert client.post("/v1/people", json=LUND).status_code == 201
    # as if another request had stored the name between our check and our insert
    monkeypatch.setattr(repository, "person_with_names", lambda session, names: None)
    again = client.post("/v1/people", json=LUND)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert [p["name"] for p in client.get("/v1/people").json["items"]].count("Vera Lund") == 1
