"""Jobs on real Celery workers (subprocesses) through the real Redis at 127.0.0.1:6379.

The tests use Redis database 15 and a key prefix of their own, so they never meet another
deployment's (or another test run's) messages. The workers run the fake pipeline, with a
first stage that can stall on demand: that is where a worker gets killed.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from models.pipeline import Pipeline, Stage
from service.db.tables import Article, JobItem
from tests.conftest import make_app
from tests.fakes import fake_pipeline
from tests.service.test_webhooks import Receiver

ROOT = Path(__file__).resolve().parents[2]
TEST_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TRUMP = 'Donald Trump said: "I don\'t like the TPP deal for our workers."'
STALLING = TRUMP + " STALL"


# --- what the workers run ---------------------------------------------------------------------


class StallOnce(Stage):
    """On an article that says STALL, the first attempt notes its process id and hangs (until
    the test kills it); the next attempts go through."""

    name, version, role = "stall-once", "1", "quotes"

    def postprocess(self, docs, outputs, **context):
        markers = Path(os.environ["QUOTES_TEST_MARKERS"])
        for doc in docs:
            if "STALL" in doc.text:
                with (markers / "attempts").open("a") as log:
                    log.write(f"{os.getpid()}\n")
                if len(attempt_pids(markers)) == 1:
                    time.sleep(120)
        return docs


def stalling_pipeline() -> Pipeline:
    """The workers' pipeline (QUOTES_PIPELINE=tests.service.test_jobs_celery:stalling_pipeline);
    it notes which process built it."""
    (Path(os.environ["QUOTES_TEST_MARKERS"]) / f"built-by-{os.getpid()}").touch()
    fake = fake_pipeline()
    return Pipeline([StallOnce(), *fake.stages], fake.stance_model)


def attempt_pids(markers: Path) -> list[int]:
    path = markers / "attempts"
    return [int(p) for p in path.read_text().split()] if path.exists() else []


# --- fixtures ---------------------------------------------------------------------------------


class Worker:
    """``celery -A service.jobs.worker worker`` in a process group of its own."""

    def __init__(self, env: dict, log: Path, pool: str = "prefork", concurrency: int = 1):
        self.log = log
        command = [sys.executable, "-m", "celery", "-A", "service.jobs.worker", "worker",
                   "-P", pool, "-c", str(concurrency), "-n", f"test-{uuid.uuid4().hex[:8]}@%h",
                   "--without-gossip", "--without-mingle", "--without-heartbeat",
                   "--loglevel", "INFO"]
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self) -> None:
        """SIGKILL the worker and its pool: a machine that dies."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


class CeleryRig:
    def __init__(self, database_url: str, tmp_path: Path):
        self.prefix = f"quotes-test-{uuid.uuid4().hex[:10]}:"
        self.markers = tmp_path / "markers"
        self.markers.mkdir()
        self.tmp_path = tmp_path
        self.app = make_app(database_url, JOBS_EXECUTOR="celery", CELERY_BROKER_URL=TEST_REDIS,
                            CELERY_KEY_PREFIX=self.prefix)
        self.client = self.app.test_client()
        self.db = self.app.extensions["database"]
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT), "QUOTES_ENV": "development", "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": TEST_REDIS, "QUOTES_CELERY_KEY_PREFIX": self.prefix,
            "QUOTES_PIPELINE": "tests.service.test_jobs_celery:stalling_pipeline",
            "QUOTES_TEST_MARKERS": str(self.markers), "QUOTES_API_KEYS": "",
            "QUOTES_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1", "QUOTES_JSON_LOGS": "0",
            "HF_HUB_OFFLINE": "1",
        }
        self.workers: list[Worker] = []

    def start_worker(self, **options) -> Worker:
        env = {**self.env, **{k: str(v) for k, v in options.pop("env", {}).items()}}
        worker = Worker(env, self.tmp_path / f"worker-{len(self.workers)}.log", **options)
        self.workers.append(worker)
        return worker

    def wait_for_job(self, job_id: str, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.client.get(f"/v1/jobs/{job_id}").json
            if job["status"] in ("succeeded", "failed"):
                return job
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} unfinished: {job}\n{self.worker_logs()}")

    def wait_for(self, condition, what: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}\n{self.worker_logs()}")

    def worker_logs(self) -> str:
        return "\n".join(w.log.read_text(errors="replace")[-3000:] for w in self.workers)

    def articles(self) -> int:
        with self.db.session() as session:
            return session.scalar(select(func.count()).select_from(Article))

    def close(self) -> None:
        for worker in self.workers:
            worker.kill()  # nothing of theirs is needed any more: no graceful shutdown
        self.db.dispose()
        client = redis.Redis.from_url(TEST_REDIS)
        for key in client.scan_iter(f"{self.prefix}*"):
            client.delete(key)
        client.close()


@pytest.fixture
def rig(database_url, tmp_path):
    made = CeleryRig(database_url, tmp_path)
    yield made
    made.close()


# --- tests ------------------------------------------------------------------------------------


def test_real_workers_analyse_jobs_load_models_in_each_child_and_deliver_webhooks(rig):
    receiver = Receiver()
    try:
        hook = rig.client.post("/v1/webhooks", json={"url": receiver.url}).json
        worker = rig.start_worker(concurrency=2)
        articles = [{"text": f"{TRUMP} Story {i}.", "external_id": f"cms-{i}"} for i in range(4)]
        accepted = rig.client.post("/v1/batches", json={"articles": articles})
        assert accepted.status_code == 202 and accepted.json["status"] in ("queued", "running")
        job = rig.wait_for_job(accepted.json["id"])
        assert job["status"] == "succeeded" and job["progress"]["succeeded"] == 4, job
        assert rig.articles() == 4

        # Four article.analyzed and one job.completed, signed, sent by the worker.
        rig.wait_for(lambda: len(receiver.requests) == 5, "the webhook deliveries")
        events = [Webhook(hook["secret"]).verify(r["body"], r["headers"]) for r in receiver.requests]
        assert sorted(e["type"] for e in events).count("article.analyzed") == 4
        assert [e["data"]["id"] for e in events if e["type"] == "job.completed"] == [job["id"]]
    finally:
        receiver.close()
    # The models were built in the pool's processes, never in the worker's parent.
    builders = {int(p.name.removeprefix("built-by-")) for p in rig.markers.glob("built-by-*")}
    assert builders and worker.process.pid not in builders


def test_a_worker_process_killed_mid_article_loses_nothing_and_stores_it_once(rig):
    rig.start_worker(concurrency=1)
    accepted = rig.client.post("/v1/articles?mode=async", json={"text": STALLING})
    assert accepted.status_code == 202
    rig.wait_for(lambda: attempt_pids(rig.markers), "the article to be under analysis")
    [child] = attempt_pids(rig.markers)
    os.kill(child, signal.SIGKILL)  # the pool process analysing the article (OOM killer, ...)

    job = rig.wait_for_job(accepted.json["id"])
    assert job["status"] == "succeeded", job
    first, second = attempt_pids(rig.markers)
    assert first == child != second  # retried in a fresh pool process
    assert job["items"][0]["attempts"] == 2 and job["items"][0]["created"] is True
    assert rig.articles() == 1


def test_a_whole_worker_killed_mid_article_is_redelivered_to_another(rig):
    quick = {"QUOTES_CELERY_VISIBILITY_TIMEOUT": 2}
    first = rig.start_worker(pool="solo", env=quick)
    accepted = rig.client.post("/v1/articles?mode=async", json={"text": STALLING})
    rig.wait_for(lambda: attempt_pids(rig.markers), "the article to be under analysis")
    first.kill()  # the machine is gone; its message was never acknowledged
    with rig.db.session() as session:
        item = session.scalars(select(JobItem).where(JobItem.job_id == accepted.json["id"])).one()
        assert item.status == "running" and item.article_id is None
    assert rig.articles() == 0  # nothing half-written

    time.sleep(2.5)  # past the visibility timeout: Redis gives the message to the next worker
    rig.start_worker(pool="solo", env=quick)
    job = rig.wait_for_job(accepted.json["id"])
    assert job["status"] == "succeeded" and job["items"][0]["attempts"] == 2, job
    assert len(attempt_pids(rig.markers)) == 2
    assert rig.articles() == 1
