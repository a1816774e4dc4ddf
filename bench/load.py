"""Load test: gunicorn with several workers on PostgreSQL, many concurrent clients, on loopback.

    python -m bench load                                  # 50 clients for 60 s, 4 workers
    python -m bench load --clients 20 --seconds 15        # a quick run
    python -m bench load --executor celery                # async articles on a Celery worker
    python -m bench load --pipeline full                  # the shipped models (much slower)

Each client is a thread with its own HTTP connection, looping until the time is up over a mix
of requests a newsroom makes: new articles (sync and ``mode=async``), re-posts of its own
articles (must answer 200 with the same id), articles that several clients post at the same
moment under one ``external_id`` or with one text (must end up stored once), reads of
articles and of the speakers. By default the service runs the fake pipeline of the tests, so
that what is measured is the service (HTTP, validation, deduplication, transactions), not the
models.

Afterwards the database is checked: every article a client was told about exists, and there
is no other (nothing lost, nothing duplicated). The run fails (exit status 1) on any error.
"""
from __future__ import annotations

import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
FAKE_PIPELINE = "tests.fakes:fake_pipeline"

SPEAKERS = ["Donald Trump", "Shinzo Abe", "Mary Jones", "Ann Lee", "Bob Kim", "Carla Diaz"]
CLAIMS = [
    "I don't like the TPP deal for our workers", "We love the new tariffs on steel",
    "Taxes are great for growth", "We will never accept the nuclear weapons program",
    "Immigration reform is a great idea", "I support the health care bill",
]
FILLER = ("The remarks came during a long day of meetings in the capital, where officials from "
          "both sides discussed the schedule for the coming weeks. ")
SHARED_KEYS = 10  # keys and texts that every client posts now and then, at the same moments


def article_text(rng: random.Random, tag: str) -> str:
    quotes = [f'{rng.choice(SPEAKERS)} said: "{rng.choice(CLAIMS)}, {tag}."' for _ in range(3)]
    body = "\n\n".join(f"{q} {FILLER * rng.randint(1, 4)}" for q in quotes)
    return f"{body}\n\nReference {tag}."


def shared_text(k: int) -> str:
    return article_text(random.Random(k), f"shared text {k}")


# --- recording --------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    article_ids: set[str] = field(default_factory=set)
    ids_by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    job_ids: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, operation: str, seconds: float) -> None:
        with self.lock:
            self.latencies[operation].append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Client(threading.Thread):
    """One newsroom client: its own connection, its own articles, until ``stop_at``."""

    def __init__(self, number: int, base: str, stop_at: float, tally: Tally):
        super().__init__(name=f"client-{number}", daemon=True)
        self.number, self.base, self.stop_at, self.tally = number, base, stop_at, tally
        self.rng = random.Random(number)
        self.http = requests.Session()
        self.mine: list[tuple[dict, str]] = []  # (body, article id) of articles it created
        self.sequence = 0

    def run(self) -> None:
        actions = [(self.post_new, 50), (self.repost, 10), (self.post_shared_key, 6),
                   (self.post_shared_text, 6), (self.post_async, 6), (self.read_article, 14),
                   (self.search_speakers, 8)]
        functions, weights = zip(*actions)
        while time.monotonic() < self.stop_at:
            action = self.rng.choices(functions, weights)[0]
            try:
                action()
            except requests.RequestException as exc:
                self.tally.error(f"{action.__name__}: {type(exc).__name__}: {exc}")

    def call(self, operation: str, method: str, path: str, expect: tuple[int, ...], **kwargs):
        started = time.perf_counter()
        response = self.http.request(method, self.base + path, timeout=60, **kwargs)
        self.tally.add(operation, time.perf_counter() - started)
        if response.status_code not in expect:
            self.tally.error(f"{operation}: {method} {path} -> {response.status_code} "
                             f"{response.text[:200]}")
            return None
        return response.json()

    def new_body(self) -> dict:
        self.sequence += 1
        tag = f"client {self.number} story {self.sequence}"
        return {"text": article_text(self.rng, tag), "title": tag.title(),
                "external_id": f"load-{self.number}-{self.sequence}",
                "published_at": f"2018-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"}

    def post_new(self) -> None:
        body = self.new_body()
        article = self.call("POST article (new)", "POST", "/v1/articles", (201,), json=body)
        if article:
            self.remember(article["id"])
            self.mine.append((body, article["id"]))

    def repost(self) -> None:
        if not self.mine:
            return self.post_new()
        body, article_id = self.rng.choice(self.mine)
        article = self.call("POST article (repeat)", "POST", "/v1/articles", (200,), json=body)
        if article and article["id"] != article_id:
            self.tally.error(f"repost of {article_id} answered {article['id']}")

    def post_shared_key(self) -> None:
        k = self.rng.randrange(SHARED_KEYS)
        body = {"text": shared_text(k), "external_id": f"shared-{k}"}
        article = self.call("POST article (contended id)", "POST", "/v1/articles", (200, 201), json=body)
        if article:
            self.remember(article["id"], f"external_id shared-{k}")

    def post_shared_text(self) -> None:
        k = self.rng.randrange(SHARED_KEYS)
        body = {"text": shared_text(k + SHARED_KEYS)}
        article = self.call("POST article (contended text)", "POST", "/v1/articles", (200, 201), json=body)
        if article:
            self.remember(article["id"], f"text {k}")

    def post_async(self) -> None:
        job = self.call("POST article mode=async", "POST", "/v1/articles?mode=async", (202,),
                        json=self.new_body())
        if job:
            with self.tally.lock:
                self.tally.job_ids.append(job["id"])

    def read_article(self) -> None:
        if not self.mine:
            return self.post_new()
        _, article_id = self.rng.choice(self.mine)
        self.call("GET article", "GET", f"/v1/articles/{article_id}", (200,))

    def search_speakers(self) -> None:
        name = self.rng.choice(SPEAKERS).split()[-1].lower()
        found = self.call("GET speakers?q=", "GET", f"/v1/speakers?q={name}", (200,))
        if found and found["items"]:
            speaker_id = found["items"][0]["id"]
            self.call("GET stance history", "GET", f"/v1/speakers/{speaker_id}/stances?limit=20", (200,))

    def remember(self, article_id: str, key: str | None = None) -> None:
        with self.tally.lock:
            self.tally.article_ids.add(article_id)
            if key:
                self.tally.ids_by_key[key].add(article_id)


# --- the service under test -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """A fresh PostgreSQL schema, gunicorn on it, and (``executor="celery"``) a Celery worker."""

    def __init__(self, workers: int, threads: int, pipeline: str, executor: str):
        self.schema = f"load_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        self.url = f"{POSTGRES_URL}?options=-csearch_path%3D{self.schema}"
        self.port = free_port()
        self.metrics_dir = tempfile.TemporaryDirectory(prefix="quotes-metrics-")
        self.logs = ROOT / "var" / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": self.url, "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads),
            "QUOTES_PIPELINE": pipeline, "QUOTES_JOBS_EXECUTOR": executor, "QUOTES_API_KEYS": "",
            "CELERY_BROKER_URL": REDIS_URL, "QUOTES_CELERY_KEY_PREFIX": f"{self.schema}:",
            "PROMETHEUS_MULTIPROC_DIR": self.metrics_dir.name, "LOG_LEVEL": "WARNING",
            "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
        }
        self.processes: list[subprocess.Popen] = []
        self.executor = executor

    def start(self) -> str:
        flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"]
        subprocess.run(flask, cwd=ROOT, env={**self.env, "QUOTES_PRELOAD_MODELS": "0"}, check=True,
                       capture_output=True)
        self._spawn("gunicorn", [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
                                 "wsgi:app"])
        if self.executor == "celery":
            self._spawn("celery", [sys.executable, "-m", "celery", "-A", "service.jobs.worker",
                                   "worker", "-c", "2", "--without-gossip", "--without-mingle",
                                   "--loglevel", "WARNING"])
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if requests.get(base + "/readyz", timeout=2).status_code == 200:
                    return base
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the service did not become ready; see {self.logs}/bench-load-*.log")

    def _spawn(self, name: str, command: list[str]) -> None:
        log = (self.logs / f"bench-load-{name}.log").open("wb")
        self.processes.append(subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,
                                               stderr=subprocess.STDOUT, start_new_session=True))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        self.admin.dispose()
        self.metrics_dir.cleanup()
        if self.executor == "celery":
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"{self.schema}:*"):
                client.delete(key)
            client.close()

    def counts(self) -> dict[str, int]:
        engine = create_engine(self.url)
        queries = {
            "articles": "SELECT count(*) FROM articles",
            "distinct external ids": "SELECT count(DISTINCT external_id) FROM articles",
            "with external id": "SELECT count(*) FROM articles WHERE external_id IS NOT NULL",
            "distinct texts without id": "SELECT count(DISTINCT text_sha256) FROM articles WHERE external_id IS NULL",
            "without id": "SELECT count(*) FROM articles WHERE external_id IS NULL",
            "quotes": "SELECT count(*) FROM quotes",
        }
        with engine.connect() as conn:
            found = {name: conn.execute(text(sql)).scalar() for name, sql in queries.items()}
            found["ids"] = set(conn.execute(text("SELECT id FROM articles")).scalars())
        engine.dispose()
        return found


# --- the run ----------------------------------------------------------------------------------


def wait_for_jobs(base: str, job_ids: list[str], tally: Tally, timeout: float = 300) -> None:
    http = requests.Session()
    deadline = time.monotonic() + timeout
    pending = list(job_ids)
    while pending and time.monotonic() < deadline:
        still = []
        for job_id in pending:
            job = http.get(f"{base}/v1/jobs/{job_id}", timeout=30).json()
            if job["status"] == "succeeded":
                tally.article_ids.update(i["article_id"] for i in job["items"])
            elif job["status"] == "failed":
                tally.error(f"job {job_id} failed: {job['items']}")
            else:
                still.append(job_id)
        pending = still
        if pending:
            time.sleep(0.5)
    for job_id in pending:
        tally.error(f"job {job_id} did not finish within {timeout:.0f} s")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def server_times(access_log: Path) -> list[str]:
    """Time spent inside gunicorn per request (its access log's ``ms``), without the wait in
    the listen queue and the client's own time: what the service itself costs."""
    import json

    times: dict[str, list[float]] = defaultdict(list)
    for line in access_log.read_text(errors="replace").splitlines():
        if line.startswith('{"remote"'):
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            method = entry["request"].split()[0]
            kind = "POST" if method == "POST" else "GET"
            times[kind].append(float(entry["ms"]))
    return [f"  server-side {kind}: n {len(ms)}, p50 {statistics.median(ms):.0f} ms, "
            f"p95 {percentile(ms, 95):.0f} ms" for kind, ms in sorted(times.items()) if ms]


def report(tally: Tally, counts: dict, seconds: float, clients: int, workers: int, threads: int,
           pipeline: str, executor: str, metrics: str) -> tuple[str, bool]:
    requests_done = sum(len(v) for v in tally.latencies.values())
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"Load: {clients} clients for {seconds:.0f} s against gunicorn ({workers} workers x "
        f"{threads} threads) on PostgreSQL, loopback; pipeline {pipeline}, executor {executor}",
        f"  machine: {os.cpu_count()} CPUs, load average at the end {load} "
        "(the clients run on the same machine)",
        f"  requests: {requests_done} ({requests_done / seconds:.1f}/s), errors: {len(tally.errors)}",
        f"  {'operation':30} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}",
    ]
    for operation, values in sorted(tally.latencies.items()):
        ms = [v * 1000 for v in values]
        lines.append(f"  {operation:30} {len(ms):6d} {statistics.median(ms):8.1f} "
                     f"{percentile(ms, 95):8.1f} {percentile(ms, 99):8.1f} {max(ms):8.1f}")
    stored = counts["ids"]
    lost = tally.article_ids - stored
    unexpected = stored - tally.article_ids
    split_keys = {k: v for k, v in tally.ids_by_key.items() if len(v) > 1}
    duplicates = (counts["with external id"] - counts["distinct external ids"]
                  + counts["without id"] - counts["distinct texts without id"])
    lines += server_times(ROOT / "var" / "logs" / "bench-load-gunicorn.log")
    lines += [
        f"  articles stored: {counts['articles']} ({counts['quotes']} quotes); "
        f"articles the clients were given: {len(tally.article_ids)}; "
        f"analysed per s: {counts['articles'] / seconds:.1f}",
        f"  lost: {len(lost)}, unexpected rows: {len(unexpected)}, duplicated: {duplicates}, "
        f"contended keys answered with different ids: {len(split_keys)}",
        f"  /metrics (all gunicorn workers added up): {metrics}",
    ]
    ok = not (tally.errors or lost or unexpected or duplicates or split_keys)
    lines.append("  verdict: " + ("OK: zero errors, nothing lost, nothing duplicated" if ok else "FAILED"))
    lines += [f"  error: {e}" for e in tally.errors[:10]]
    return "\n".join(lines), ok


def analysed_total(base: str) -> str:
    from prometheus_client.parser import text_string_to_metric_families

    body = requests.get(base + "/metrics", timeout=10).text
    values = {f"{s.name}{{via={s.labels.get('via')}}}": s.value
              for family in text_string_to_metric_families(body) for s in family.samples
              if s.name in ("quotes_articles_analysed_total", "quotes_articles_reused_total")}
    return ", ".join(f"{k} {v:.0f}" for k, v in sorted(values.items())) or "(none)"


def run(clients: int = 50, seconds: float = 60, workers: int = 4, threads: int = 4,
        pipeline: str = FAKE_PIPELINE, executor: str = "inline") -> str:
    service = Service(workers, threads, pipeline, executor)
    try:
        base = service.start()
        tally = Tally()
        started = time.monotonic()
        team = [Client(i, base, started + seconds, tally) for i in range(clients)]
        for client in team:
            client.start()
        for client in team:
            client.join(seconds + 120)
        elapsed = time.monotonic() - started
        wait_for_jobs(base, tally.job_ids, tally)
        metrics = analysed_total(base)
        text_out, ok = report(tally, service.counts(), elapsed, clients, workers, threads,
                              pipeline, executor, metrics)
    finally:
        service.stop()
    if not ok:
        print(text_out, flush=True)
        raise SystemExit(1)
    return text_out
