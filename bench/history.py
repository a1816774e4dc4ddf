"""Stance-history query latency with a million stored quotes, on PostgreSQL.

Loads synthetic rows (COPY, in a schema of its own that is dropped afterwards) and times the
endpoint's queries through the Flask test client: the page of items, the summary, the shifts.
"""
from __future__ import annotations

import io
import os
import random
import statistics
import time
import uuid
from datetime import date, timedelta

from sqlalchemy import create_engine, text

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
STANCES = ("favor", "against", "neutral")


def _copy(connection, table: str, columns: str, rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with connection.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)


def load(url: str, quotes: int, speakers: int, articles: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    engine = create_engine(url)
    topic_ids = [f"topic-{i}" for i in range(30)]
    speaker_ids = [f"spk_{i:08d}" for i in range(speakers)]
    start = date(2015, 1, 1)
    with engine.begin() as connection:
        _copy(connection, "topics", "id, label, description, keywords, created_at",
              ((t, t.title(), "", "[]", "2020-01-01") for t in topic_ids))
        _copy(connection, "speakers", "id, name, kind, created_at",
              ((s, f"Speaker {i}", "person", "2020-01-01") for i, s in enumerate(speaker_ids)))
        article_days = [start + timedelta(days=rng.randrange(3650)) for _ in range(articles)]
        _copy(connection, "articles",
              "id, text_sha256, language, published_at, text, converted_from_html, model_version, created_at",
              ((f"art_{i:08d}", f"{i:064x}", "en", d, "Synthetic text said he.", "f", "bench", "2020-01-01")
               for i, d in enumerate(article_days)))
        # Speakers are Zipf-like: a few leaders carry most quotes, as in real news.
        weights = [1 / (rank + 1) for rank in range(speakers)]
        chosen = rng.choices(speaker_ids, weights=weights, k=quotes)

        def quote_rows():
            for i, speaker in enumerate(chosen):
                a = rng.randrange(articles)
                yield (f"qte_{i:09d}", f"art_{a:08d}", i % 50, "direct", 0, 9, "Synthetic", "[]",
                       speaker, 0.9, rng.choice(topic_ids), 0.8, rng.choice(STANCES), 0.7,
                       '{"favor": 0.1}', article_days[a])

        _copy(connection, "quotes",
              "id, article_id, position, type, content_start, content_end, content_text, "
              "content_fragments, speaker_id, speaker_confidence, topic_id, topic_confidence, "
              "stance, stance_confidence, stance_scores, date",
              quote_rows())
    # As autovacuum would after a bulk load: statistics, and the visibility map that lets
    # PostgreSQL answer the counts from the covering index alone.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return speaker_ids


def run(quotes: int = 1_000_000, requests: int = 100) -> str:
    from config.settings import TestingConfig
    from service import create_app
    from tests.fakes import fake_pipeline

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        app = create_app(TestingConfig, pipeline=fake_pipeline(), DATABASE_URL=url)
        app.extensions["database"].create_all()
        started = time.perf_counter()
        speakers = load(url, quotes, speakers=5000, articles=quotes // 10)
        load_seconds = time.perf_counter() - started
        client = app.test_client()
        rng = random.Random(1)
        timings = {"top speaker, all topics": [], "top speaker, one topic": [],
                   "random speaker": [], "top speaker, page 2": []}
        top = speakers[0]
        cursor = client.get(f"/v1/speakers/{top}/stances?limit=50").json["next_cursor"]
        for _ in range(requests // 4):
            for label, path in (
                ("top speaker, all topics", f"/v1/speakers/{top}/stances?limit=50"),
                ("top speaker, one topic", f"/v1/speakers/{top}/stances?topic=topic-3&limit=50"),
                ("random speaker", f"/v1/speakers/{rng.choice(speakers)}/stances?limit=50"),
                ("top speaker, page 2", f"/v1/speakers/{top}/stances?limit=50&cursor={cursor}"),
            ):
                t0 = time.perf_counter()
                response = client.get(path)
                timings[label].append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.json
        top_count = client.get(f"/v1/speakers/{top}").json["quote_count"]
        lines = [f"History query on PostgreSQL, {quotes:,} quotes ({load_seconds:.0f} s to load), "
                 f"top speaker has {top_count:,} quotes; {requests // 4} requests each:",
                 f"  {'query':28s} {'p50 ms':>8s} {'p95 ms':>8s}"]
        for label, values in timings.items():
            values.sort()
            p95 = values[int(0.95 * (len(values) - 1))]
            lines.append(f"  {label:28s} {statistics.median(values):8.1f} {p95:8.1f}")
        app.extensions["database"].dispose()
        return "\n".join(lines)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
