"""`flask` commands: database, API keys, topics."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from models.types import Topic
from service.db import repository as repo

db_cli = AppGroup("db", help="Database schema and seed data.")
keys_cli = AppGroup("keys", help="API keys (stored hashed).")
topics_cli = AppGroup("topics", help="The topic catalogue.")


def _database():
    return current_app.extensions["database"]


def load_catalogue(path: Path) -> list[Topic]:
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Topic(t["id"], t["label"], t.get("description", ""), tuple(t.get("keywords", [])))
            for t in items]


def load_people(path: Path) -> list[dict]:
    """The known people of a registry file (config/people.json), as plain entries."""
    return json.loads(Path(path).read_text())


def upgrade_database(app: Flask) -> int:
    """Bring the schema to the latest migration and add the default topics and known people
    that are missing; returns how many were added."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig(str(Path(__file__).parent / "db" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    command.upgrade(config, "head")
    with app.extensions["database"].transaction() as session:
        return (repo.ensure_topics(session, load_catalogue(app.config["TOPICS_FILE"]))
                + repo.ensure_people(session, load_people(app.config["PEOPLE_FILE"])))


@db_cli.command("upgrade")
def db_upgrade():
    """Apply the migrations and seed the default topics and known people."""
    added = upgrade_database(current_app)
    click.echo(f"database at head; {added} default topics and known people added")


@keys_cli.command("create")
@click.argument("name")
def keys_create(name):
    """Create a key called NAME and print it (it is shown only this once)."""
    try:
        with _database().transaction() as session:
            plain = repo.create_api_key(session, name)
    except ValueError as exc:
        raise click.ClickException(str(exc))
    click.echo(plain)


@keys_cli.command("revoke")
@click.argument("name")
def keys_revoke(name):
    """Revoke the key called NAME."""
    with _database().transaction() as session:
        if not repo.revoke_api_key(session, name):
            raise click.ClickException(f"no active key named {name!r}")
    click.echo(f"revoked {name}")


@topics_cli.command("list")
def topics_list():
    with _database().session() as session:
        for topic in repo.list_topics(session):
            click.echo(f"{topic.id}\t{topic.label}")


@topics_cli.command("retag")
def topics_retag():
    """Re-tag the topic and stance of every stored quote with the current catalogue."""
    from service.analysis import retag_articles

    pipeline = current_app.extensions["analyzer"].pipeline
    done = 0
    for n in retag_articles(_database(), pipeline):
        done += n
        click.echo(f"\r{done} articles re-tagged", nl=False)
    click.echo(f"\r{done} articles re-tagged")


def init_app(app: Flask) -> None:
    from service import newsroom_cli

    for group in (db_cli, keys_cli, topics_cli):
        app.cli.add_command(group)
    newsroom_cli.init_app(app)  # ingest, export, jobs
