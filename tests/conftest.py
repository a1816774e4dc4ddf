"""Fixtures: an app with a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL is expected at 127.0.0.1:5432 (database `test`, trust auth) here and in CI: every
test that uses the `app` fixture runs once per backend. Each PostgreSQL test gets a schema of
its own, dropped afterwards.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from config.settings import TestingConfig
from service import create_app
from tests.fakes import fake_pipeline

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = [b for b in os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",") if b]
EXAMPLES_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "examples"


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def make_app(database_url: str, pipeline=None, **overrides):
    app = create_app(TestingConfig, pipeline=pipeline or fake_pipeline(),
                     DATABASE_URL=database_url, **overrides)
    from service.cli import load_catalogue, load_people
    from service.db import repository as repo

    database = app.extensions["database"]
    database.create_all()
    with database.transaction() as session:
        repo.ensure_topics(session, load_catalogue(app.config["TOPICS_FILE"]))
        repo.ensure_people(session, load_people(app.config["PEOPLE_FILE"]))
    return app


@pytest.fixture
def app(database_url):
    app = make_app(database_url)
    yield app
    app.extensions["database"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app):
    return app.extensions["database"]
