"""Jobs with the inline executor: POST /v1/articles?mode=async, POST /v1/batches, GET /v1/jobs.

The test config runs the work within the request (JOBS_INLINE_THREADS=0), so a job is done
when the 202 arrives; one test uses real threads. The Celery executor, with a real worker, is
in test_jobs_celery.py.
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from service.db import jobs_repository
from service.db.tables import Article, Job, JobItem
from service.jobs import services, work
from tests.conftest import make_app

TRUMP = 'Donald Trump said: "I don\'t like the TPP deal for our workers."'
JONES = 'Mary Jones said: "We love the new tariffs on steel."'
LEE = '"Taxes are too high," Ann Lee said.'


def count(db, table) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_async_article_answers_202_with_a_job_that_leads_to_the_article(client):
    response = client.post("/v1/articles?mode=async", json={"text": TRUMP, "external_id": "cms-1"})
    assert response.status_code == 202
    job = response.json
    assert response.headers["Location"] == f"/v1/jobs/{job['id']}"
    assert job["kind"] == "article" and job["status"] == "succeeded"
    assert job["progress"] == {"total": 1, "done": 1, "succeeded": 1, "failed": 0, "percent": 100.0}
    item = job["items"][0]
    assert item["status"] == "succeeded" and item["created"] is True and item["external_id"] == "cms-1"
    article = client.get(f"/v1/articles/{item['article_id']}").json
    assert article["external_id"] == "cms-1" and article["quotes"][0]["speaker"]["name"] == "Donald Trump"
    assert client.get(job["links"]["self"]).json == job


def test_deleting_the_article_leaves_its_job_the_outcome_but_not_the_text(client, db):
    job = client.post("/v1/articles?mode=async", json={"text": TRUMP, "external_id": "cms-2"}).json
    article_id = job["items"][0]["article_id"]
    assert client.delete(f"/v1/articles/{article_id}").status_code == 204
    with db.session() as session:
        [item] = session.scalars(select(JobItem).where(JobItem.job_id == job["id"])).all()
        assert item.payload == {"external_id": "cms-2"} and item.article_id is None
    after = client.get(f"/v1/jobs/{job['id']}").json
    assert after["items"][0]["status"] == "succeeded" and after["items"][0]["external_id"] == "cms-2"


def test_a_batch_stores_each_article_once_and_reports_each_item(client, db):
    articles = [{"text": TRUMP}, {"text": JONES, "external_id": "cms-2"}, {"text": TRUMP}]
    response = client.post("/v1/batches", json={"articles": articles})
    assert response.status_code == 202
    job = client.get(response.headers["Location"]).json
    assert job["kind"] == "batch" and job["status"] == "succeeded"
    assert job["progress"]["total"] == 3 and job["progress"]["succeeded"] == 3
    first, second, copy = job["items"]
    assert copy["article_id"] == first["article_id"] != second["article_id"]
    assert (first["created"], copy["created"]) == (True, False)
    assert count(db, Article) == 2
    # A later batch with a known article answers with the stored analysis.
    again = client.post("/v1/batches", json={"articles": [{"text": JONES, "external_id": "cms-2"}]})
    item = again.json["items"][0]
    assert item["article_id"] == second["article_id"] and item["created"] is False
    assert count(db, Article) == 2


@pytest.mark.parametrize("body, field", [
    ({"articles": [{"text": TRUMP}, {"text": "   "}]}, "articles.1.text"),
    ({"articles": [{"text": TRUMP}, {"text": "<p> </p>"}]}, "articles.1.text"),
    ({"articles": [{"text": TRUMP, "published_at": "yesterday"}]}, "articles.0.published_at"),
    ({"articles": []}, "articles"),
    ({"articles": [{"text": TRUMP}] * 101}, "articles"),
    ({"articles": "not a list"}, "articles"),
    ({}, "articles"),
])
def test_an_invalid_batch_is_refused_whole_and_nothing_is_stored(client, db, body, field):
    response = client.post("/v1/batches", json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]
    assert count(db, Job) == 0 and count(db, Article) == 0


def test_async_article_is_validated_before_anything_is_queued(client, db):
    response = client.post("/v1/articles?mode=async", json={"text": "\x00\x01binary"})
    assert response.status_code == 422 and "text" in response.json["errors"]
    response = client.post("/v1/articles?mode=later", json={"text": TRUMP})
    assert response.status_code == 422 and "mode" in response.json["errors"]
    assert count(db, Job) == 0 and count(db, Article) == 0


def test_idempotency_key_returns_the_first_job_and_refuses_another_body(client, db):
    headers = {"Idempotency-Key": "batch-7"}
    first = client.post("/v1/batches", json={"articles": [{"text": TRUMP}]}, headers=headers)
    replay = client.post("/v1/batches", json={"articles": [{"text": TRUMP}]}, headers=headers)
    other = client.post("/v1/batches", json={"articles": [{"text": JONES}]}, headers=headers)
    assert first.status_code == replay.status_code == 202
    assert replay.json["id"] == first.json["id"]
    assert other.status_code == 422 and other.mimetype == "application/problem+json"
    assert count(db, Job) == 1 and count(db, Article) == 1


def test_unknown_job_is_a_404_problem(client):
    response = client.get("/v1/jobs/job_nothing")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_an_article_the_pipeline_cannot_analyse_fails_its_item_only(app, client, db):
    stage = app.extensions["analyzer"].pipeline.stages[0]
    original = stage.postprocess

    def explode_on_jones(docs, *args, **kwargs):
        if any("Jones" in d.text for d in docs):
            raise RuntimeError("model crashed")
        return original(docs, *args, **kwargs)

    stage.postprocess = explode_on_jones
    try:
        job = client.post("/v1/batches", json={"articles": [{"text": TRUMP}, {"text": JONES}]}).json
    finally:
        stage.postprocess = original
    assert job["status"] == "failed"
    assert job["progress"] == {"total": 2, "done": 2, "succeeded": 1, "failed": 1, "percent": 100.0}
    ok, failed = job["items"]
    assert ok["status"] == "succeeded" and failed["status"] == "failed"
    assert failed["article_id"] is None and failed["error"]["status"] == 500
    assert "RuntimeError" in failed["error"]["detail"]
    assert count(db, Article) == 1


def _job_without_running_it(app, text: str) -> str:
    """A job stored as if its executor had died before starting it."""
    with app.extensions["database"].transaction() as session:
        fields = work.ArticleFields(text=text)
        return jobs_repository.create_job(session, "article", [work.fields_to_payload(fields)]).id


def test_running_a_message_again_after_the_write_stores_the_article_once(app, db):
    """A worker killed after the article's transaction but before it marked the item done
    (or acknowledged the message) gets the message again: the retry finds the stored
    article and the job completes, with one article."""
    job_id = _job_without_running_it(app, TRUMP)
    found = services(app)
    work.run_items(found, job_id, [0])
    with db.transaction() as session:  # roll the bookkeeping back to "killed mid-item"
        item = session.scalars(select(JobItem).where(JobItem.job_id == job_id)).one()
        item.status, item.article_id, item.created = "running", None, None
        session.get(Job, job_id).status = "running"
    work.run_items(found, job_id, [0])
    with db.session() as session:
        job = jobs_repository.get_job(session, job_id)
        assert job.status == "succeeded" and job.items[0].attempts == 2
        assert job.items[0].created is False and job.items[0].article_id is not None
    assert count(db, Article) == 1


def test_an_article_that_keeps_killing_its_worker_is_given_up(app, db):
    job_id = _job_without_running_it(app, TRUMP)
    with db.transaction() as session:
        session.scalars(select(JobItem).where(JobItem.job_id == job_id)).one().attempts = 3
    work.run_items(services(app), job_id, [0])
    with db.session() as session:
        job = jobs_repository.get_job(session, job_id)
        assert job.status == "failed" and job.items[0].error["title"] == "Analysis abandoned"
    assert count(db, Article) == 0


def test_jobs_requeue_finishes_what_a_dead_process_left(app, db):
    job_id = _job_without_running_it(app, TRUMP)
    result = app.test_cli_runner().invoke(args=["jobs", "requeue"])
    assert result.exit_code == 0, result.output
    assert "1 jobs" in result.output
    with db.session() as session:
        assert jobs_repository.get_job(session, job_id).status == "succeeded"
    assert count(db, Article) == 1


def test_with_threads_the_request_answers_before_the_work_is_done(database_url):
    app = make_app(database_url, JOBS_INLINE_THREADS=2)
    try:
        client = app.test_client()
        articles = [{"text": f"{TRUMP} Story {i}."} for i in range(6)]
        job = client.post("/v1/batches", json={"articles": articles}).json
        assert job["status"] in ("queued", "running", "succeeded")
        deadline = time.monotonic() + 30
        while job["status"] not in ("succeeded", "failed") and time.monotonic() < deadline:
            time.sleep(0.05)
            job = client.get(f"/v1/jobs/{job['id']}").json
        assert job["status"] == "succeeded" and job["progress"]["succeeded"] == 6
        assert len({i["article_id"] for i in job["items"]}) == 6
    finally:
        services(app).executor.shutdown()
        app.extensions["database"].dispose()


def test_an_unreachable_broker_is_a_503_and_nothing_is_kept(database_url):
    app = make_app(database_url, JOBS_EXECUTOR="celery", CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    try:
        client = app.test_client()
        response = client.post("/v1/batches", json={"articles": [{"text": TRUMP}]})
        assert response.status_code == 503 and response.mimetype == "application/problem+json"
        db = app.extensions["database"]
        assert count(db, Job) == 0 and count(db, Article) == 0
    finally:
        app.extensions["database"].dispose()


def test_copies_of_a_story_under_any_id_are_analysed_one_after_the_other():
    from service.db.repository import ArticleFields

    def fields(text, external_id=None):
        return ArticleFields(text=text, external_id=external_id)

    batch = [fields(TRUMP, "a"), fields(JONES), fields(TRUMP, "b"), fields(LEE, "b"),
             fields(JONES, "c"), fields(LEE)]
    # TRUMP under a and b; b also carries LEE; JONES twice
    assert sorted(work.dedupe_groups(batch)) == [[0, 2, 3, 5], [1, 4]]
