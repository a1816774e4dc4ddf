"""`flask ingest PATH...` and `flask export`, through Flask's CLI runner, on both backends."""
from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from service.db.tables import Article, Job

TRUMP = 'Donald Trump said: "I don\'t like the TPP deal for our workers."'
JONES = 'Mary Jones said: "We love the new tariffs on steel."'
LEE = '"I hate what they did to taxes," Ann Lee said.'
KIM = 'Bob Kim said: "Immigration reform is great."'


@pytest.fixture
def archive(tmp_path):
    """A folder as a newsroom might export it: text, HTML, JSON and JSON lines."""
    root = tmp_path / "archive"
    (root / "2018").mkdir(parents=True)
    (root / "2018" / "trump.txt").write_text(TRUMP, encoding="utf-8")
    (root / "2018" / "jones.html").write_text(f"<article><p>{JONES}</p></article>", encoding="utf-8")
    (root / "more.json").write_text(json.dumps([
        {"text": LEE, "external_id": "cms-lee", "published_at": "2018-03-01", "title": "Taxes"},
    ]), encoding="utf-8")
    (root / "feed.jsonl").write_text("\n".join([
        json.dumps({"uri": "urn:x:kim", "body_text": KIM, "versioncreated": "2018-05-02T10:00:00Z"}),
        "",
        json.dumps({"text": "   "}),
        "{not json",
    ]) + "\n", encoding="utf-8")
    (root / ".hidden.txt").write_text("ignored", encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF ignored")
    return root


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def count(db, table) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_ingest_reads_folders_and_formats_and_summarises(app, db, archive):
    result = run(app, "ingest", "--quiet", str(archive))
    assert result.exit_code == 1  # two bad records
    assert "4 files, 6 articles: 4 analysed, 0 already stored, 0 queued, 2 failed" in result.output
    assert "feed.jsonl:3: text: text is empty" in result.output
    assert "feed.jsonl:4: invalid JSON" in result.output
    assert count(db, Article) == 4
    with db.session() as session:
        kim = session.scalars(select(Article).where(Article.external_id == "urn:x:kim")).one()
        assert str(kim.published_at) == "2018-05-02"
        jones = session.scalars(select(Article).where(Article.text == JONES)).one()
        assert jones.converted_from_html

    again = run(app, "ingest", "--quiet", str(archive / "2018"), str(archive / "more.json"))
    assert again.exit_code == 0
    assert "3 files, 3 articles: 0 analysed, 3 already stored" in again.output
    assert count(db, Article) == 4


def test_ingest_shows_a_progress_bar(app, archive):
    result = run(app, "ingest", str(archive / "2018"))
    assert result.exit_code == 0
    assert "2/2" in result.output  # tqdm, on stderr (mixed into the runner's output)


def test_ingest_can_queue_jobs_for_the_workers(app, db, archive):
    result = run(app, "ingest", "--quiet", "--enqueue", str(archive / "2018"), str(archive / "more.json"))
    assert result.exit_code == 0, result.output
    assert "3 queued, 0 failed" in result.output and "jobs: job_" in result.output
    assert count(db, Job) == 1 and count(db, Article) == 3  # the test executor runs at once


def test_ingest_refuses_a_missing_path(app):
    result = run(app, "ingest", "/nonexistent/articles")
    assert result.exit_code == 2 and "does not exist" in result.output


def _seed(client):
    client.post("/v1/articles", json={"text": TRUMP, "published_at": "2018-01-10", "title": "One"})
    client.post("/v1/articles", json={"text": TRUMP.replace("don't like", "love"),
                                      "published_at": "2018-06-10", "title": "Two"})
    client.post("/v1/articles", json={"text": LEE, "published_at": "2018-02-01"})


def test_export_csv_has_one_row_per_stance_oldest_first(app, client, tmp_path):
    _seed(client)
    out = tmp_path / "stances.csv"
    result = run(app, "export", "--output", str(out))
    assert result.exit_code == 0 and "3 stance records exported" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    trump = [r for r in rows if r["speaker_name"] == "Donald Trump"]
    assert [(r["date"], r["topic_id"], r["stance"]) for r in trump] == [
        ("2018-01-10", "tpp", "against"), ("2018-06-10", "tpp", "favor")]
    assert trump[0]["article_title"] == "One" and trump[0]["quote_text"].startswith("I don't like")


def test_export_json_groups_by_speaker_with_a_summary_and_filters(app, client, tmp_path):
    _seed(client)
    speaker_id = client.get("/v1/speakers?q=trump").json["items"][0]["id"]
    out = tmp_path / "trump.json"
    result = run(app, "export", "--output", str(out), "--speaker", speaker_id, "--since", "2018-02-01")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["filter"]["speakers"] == [speaker_id] and data["filter"]["since"] == "2018-02-01"
    [history] = data["speakers"]
    assert history["speaker"] == {"id": speaker_id, "name": "Donald Trump"}
    assert history["summary"] == [{"topic": {"id": "tpp", "label": "Trans-Pacific Partnership"},
                                   "counts": {"favor": 1, "against": 0, "neutral": 0},
                                   "first_seen": "2018-06-10", "last_seen": "2018-06-10",
                                   "latest": "favor"}]
    assert [i["article"]["title"] for i in history["items"]] == ["Two"]


def test_export_to_stdout_and_with_nothing_to_export(app, client):
    empty = run(app, "export", "--format", "json")
    assert empty.exit_code == 0
    assert json.loads(empty.stdout)["speakers"] == []
    _seed(client)
    text = run(app, "export", "--topic", "tpp").stdout
    assert text.splitlines()[0].startswith("speaker_id,speaker_name,date")
    assert len(text.splitlines()) == 3
