"""API keys: created and revoked with the CLI, stored hashed, required once any exists."""
from sqlalchemy import select

from service.db.tables import ApiKey
from tests.conftest import make_app


def test_open_without_keys(client):
    assert client.get("/v1/topics").status_code == 200


def test_cli_keys_create_and_revoke(app, client, db):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["keys", "create", "cms"])
    assert created.exit_code == 0
    key = created.output.strip()
    with db.session() as session:
        stored = session.scalars(select(ApiKey)).one()
        assert stored.key_hash != key and key not in stored.key_hash  # only the digest is kept

    unauthorized = client.get("/v1/topics")
    assert unauthorized.status_code == 401
    assert unauthorized.mimetype == "application/problem+json"
    assert unauthorized.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/v1/topics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/v1/topics", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    # operations and docs stay open
    assert client.get("/healthz").status_code == 200
    assert client.get("/v1/openapi.json").status_code == 200

    assert runner.invoke(args=["keys", "create", "cms"]).exit_code != 0  # names are unique
    assert runner.invoke(args=["keys", "revoke", "cms"]).exit_code == 0
    assert runner.invoke(args=["keys", "revoke", "cms"]).exit_code != 0
    assert client.get("/v1/topics", headers={"Authorization": f"Bearer {key}"}).status_code == 200  # no keys left: open


def test_keys_from_the_environment(database_url):
    app = make_app(database_url, API_KEYS=("s3cret",))
    client = app.test_client()
    assert client.post("/v1/articles", json={"text": "x"}).status_code == 401
    ok = client.get("/v1/articles", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200


def test_without_a_key_any_body_gets_401(database_url):
    app = make_app(database_url, API_KEYS=("s3cret",))
    client = app.test_client()
    for data, content_type in ((b"text=hello", "text/plain"), (b'{"text": "caf\xe9"}',
                                                                "application/json")):
        response = client.post("/v1/articles", data=data, content_type=content_type)
        assert response.status_code == 401, data
        assert response.mimetype == "application/problem+json"
