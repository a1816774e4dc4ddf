"""Speed and accuracy of the tagger on each inference backend (``models.runtime``), PolNeAR dev.

    python -m models.attribution.bench [--limit N] [--threads 2] [--backends torch,torch-bf16,onnx-int8]

``run_bench()`` is what ``make bench`` calls. Per backend it prints dev exact F1 (the
``models.evaluation`` metric), throughput over the dev articles in batches of 8, and the p50 / p95
latency of one article at a time. Both backends get the same number of threads.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from models.attribution import WEIGHTS_DIR, load_extractor


def _latencies(stage, articles, n: int) -> list[float]:
    from models.types import Document

    seconds = []
    for article in articles[:n]:
        started = time.perf_counter()
        stage([Document(text=article.text)])
        seconds.append(time.perf_counter() - started)
    return seconds


def run_bench(limit: int | None = None, threads: int = 2,
              backends=("torch", "torch-bf16", "onnx-int8"),
              latency_articles: int = 30, weights_dir: Path = WEIGHTS_DIR) -> list[dict]:
    import torch

    from models.data.polnear import load_split
    from models.evaluation.attribution import evaluate_stage

    torch.set_num_threads(threads)
    articles = load_split("dev", limit=limit)
    rows = []
    for backend in backends:
        stage = load_extractor(weights_dir, backend=backend, threads=threads)
        if stage is None:
            return []
        stage([])  # loading and export happen before the clock starts
        result = evaluate_stage(stage, articles)
        latency = sorted(_latencies(stage, articles, latency_articles))
        exact = result.scores.exact
        rows.append({
            "backend": backend, "version": stage.version, "articles": len(articles),
            "articles_per_s": len(articles) / result.seconds,
            "p50_ms": 1000 * statistics.median(latency),
            "p95_ms": 1000 * latency[min(len(latency) - 1, int(0.95 * len(latency)))],
            **{role: exact[role].f1 for role in ("source", "cue", "content")},
            "overlap": result.scores.content_overlap.f1,
        })
    return rows


def format_rows(rows: list[dict]) -> str:
    if not rows:
        return "attribution tagger: no weights, skipped"
    lines = [f"{'backend':<11}{'art/s':>7}{'p50 ms':>8}{'p95 ms':>8}{'source':>8}{'cue':>7}"
             f"{'content':>9}{'overlap':>9}"]
    for r in rows:
        lines.append(f"{r['backend']:<11}{r['articles_per_s']:>7.2f}{r['p50_ms']:>8.0f}"
                     f"{r['p95_ms']:>8.0f}{r['source']:>8.3f}{r['cue']:>7.3f}"
                     f"{r['content']:>9.3f}{r['overlap']:>9.3f}")
    lines.append(f"({rows[0]['articles']} PolNeAR dev articles; {rows[0]['version']})")
    return "\n".join(lines)


def main(argv=None) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--backends", default="torch,torch-bf16,onnx-int8")
    parser.add_argument("--weights", type=Path, default=WEIGHTS_DIR)
    args = parser.parse_args(argv)
    rows = run_bench(args.limit, args.threads, tuple(args.backends.split(",")),
                     weights_dir=args.weights)
    print(format_rows(rows))


if __name__ == "__main__":
    main()
