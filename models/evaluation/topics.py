"""Topic tagging precision / recall on hand-labelled PolNeAR dev quotes.

    python -m models.evaluation.topics            # the report (2-fold cross-validated)
    python -m models.evaluation.topics --tune     # also print the parameters tuned on all labels

The sample (``labels/topics_dev.tsv``: article key, gold content offsets, topic id or "none")
covers 210 gold contents of PolNeAR dev, up to 3 per article, labelled by hand against
``config/topics.json``. The articles are split in two halves (by a hash of their key); the tagger's
weights and threshold are tuned on one half and measured on the other, both ways, and the two
measured halves are pooled. The shipped defaults (``TaggerParams``) are the ones tuned on all
labels; the cross-validated figures are the honest estimate for them.

Precision: share of assigned topics that are right. Recall: share of quotes with a gold topic
that get exactly that topic. "No topic" is right when the label is "none".
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.topics.context import paragraph
from models.topics.tagger import TaggerParams, TopicTagger, headline, load_catalogue
from models.types import Document

LABELS_FILE = Path(__file__).resolve().parent / "labels" / "topics_dev.tsv"

GRID = {
    "quote_weight": (0.2, 0.3, 0.5, 0.7),
    "paragraph_weight": (0.2, 0.3, 0.5, 0.7),
    "keyword_in_quote": (0.0, 0.05, 0.1, 0.15, 0.2),
    "keyword_in_paragraph": (0.0, 0.03, 0.06, 0.1),
    "threshold": tuple(np.round(np.arange(0.15, 0.65, 0.01), 2)),
}


@dataclass
class LabelledSample:
    keys: list[str]
    quotes: list[str]
    paragraphs: list[str]
    headlines: list[str]
    gold: list[str | None]


def load_sample(limit: int | None = None) -> LabelledSample:
    from models.data.polnear import load_split

    texts = {a.key: a.text for a in load_split("dev")}
    kept_articles = set(sorted(texts)[:limit])
    sample = LabelledSample([], [], [], [], [])
    for line in LABELS_FILE.read_text().splitlines()[3:]:
        key, start, end, topic = line.split("\t")
        if key not in kept_articles:
            continue
        text, start, end = texts[key], int(start), int(end)
        sample.keys.append(key)
        sample.quotes.append(text[start:end])
        sample.paragraphs.append(paragraph(text, start, end))
        sample.headlines.append(headline(Document(text)))
        sample.gold.append(None if topic == "none" else topic)
    return sample


class ScoreParts:
    """Similarities and keyword hits computed once, so the grid search is just arithmetic."""

    def __init__(self, tagger: TopicTagger, sample: LabelledSample, topics):
        self.quote_sim, self.paragraph_sim, self.headline_sim = tagger.similarities(
            sample.quotes, sample.paragraphs, sample.headlines, topics)
        self.in_quote = np.stack([tagger.keyword_hits(topics, q) for q in sample.quotes])
        in_paragraph = np.stack([tagger.keyword_hits(topics, p) for p in sample.paragraphs])
        self.only_in_paragraph = np.clip(in_paragraph - self.in_quote, 0, 1)
        self.topic_ids = [t.id for t in topics]

    def predict(self, params: TaggerParams, rows) -> list[str | None]:
        headline_weight = 1 - params.quote_weight - params.paragraph_weight
        scores = (params.quote_weight * self.quote_sim[rows]
                  + params.paragraph_weight * self.paragraph_sim[rows]
                  + headline_weight * self.headline_sim[rows]
                  + params.keyword_in_quote * self.in_quote[rows]
                  + params.keyword_in_paragraph * self.only_in_paragraph[rows])
        best = scores.argmax(1)
        return [self.topic_ids[b] if s[b] >= params.threshold else None
                for b, s in zip(best, scores)]


def precision_recall(predicted, gold) -> dict[str, float]:
    assigned = sum(p is not None for p in predicted)
    labelled = sum(g is not None for g in gold)
    correct = sum(p is not None and p == g for p, g in zip(predicted, gold))
    precision = correct / assigned if assigned else 0.0
    recall = correct / labelled if labelled else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(p == g for p, g in zip(predicted, gold)) / max(len(gold), 1)
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy,
            "assigned": assigned, "labelled": labelled, "n": len(gold)}


def tune(parts: ScoreParts, gold, rows) -> TaggerParams:
    """The grid point with the best F1 on ``rows`` (ties: the higher threshold, more careful)."""
    best, best_key = TaggerParams(), (-1.0, 0.0)
    gold_rows = [gold[i] for i in rows]
    for values in itertools.product(*GRID.values()):
        params = TaggerParams(*map(float, values))
        if params.quote_weight + params.paragraph_weight > 1.0:
            continue
        f1 = precision_recall(parts.predict(params, rows), gold_rows)["f1"]
        if (f1, params.threshold) > best_key:
            best, best_key = params, (f1, params.threshold)
    return best


def half_of(key: str) -> int:
    return hashlib.sha1(key.encode()).digest()[0] % 2


def cross_validate(parts: ScoreParts, sample: LabelledSample):
    halves = [[i for i, k in enumerate(sample.keys) if half_of(k) == h] for h in (0, 1)]
    predicted: list[str | None] = [None] * len(sample.gold)
    tuned = []
    for tune_half, test_half in ((0, 1), (1, 0)):
        params = tune(parts, sample.gold, halves[tune_half])
        tuned.append(params)
        for i, p in zip(halves[test_half], parts.predict(params, halves[test_half])):
            predicted[i] = p
    return predicted, tuned


def format_figures(name: str, figures: dict) -> str:
    return (f"{name:<34} P {figures['precision']:.3f}  R {figures['recall']:.3f}  "
            f"F1 {figures['f1']:.3f}  acc {figures['accuracy']:.3f}  "
            f"(assigned {figures['assigned']}, gold topics {figures['labelled']}, n {figures['n']})")


def report(args) -> str:
    limit = getattr(args, "limit", None) or None
    sample = load_sample(limit)
    tagger = TopicTagger()
    topics = load_catalogue()
    parts = ScoreParts(tagger, sample, topics)
    all_rows = list(range(len(sample.gold)))
    lines = ["Topic tagging on hand-labelled PolNeAR dev quotes "
             f"({LABELS_FILE.name}, {len(sample.gold)} quotes, {len(topics)} catalogue topics)"]
    predicted, tuned = cross_validate(parts, sample)
    lines.append(format_figures("2-fold CV by article (honest)", precision_recall(predicted,
                                                                                  sample.gold)))
    lines.append(format_figures("shipped defaults, all labels", precision_recall(
        parts.predict(TaggerParams(), all_rows), sample.gold)))
    keywords_only = TaggerParams(quote_weight=1.0, paragraph_weight=0.0, keyword_in_quote=1.0,
                                 keyword_in_paragraph=1.0, threshold=1.0)
    lines.append(format_figures("keywords only (baseline)", precision_recall(
        parts.predict(keywords_only, all_rows), sample.gold)))
    lines.append("params tuned per fold: " + "; ".join(str(p) for p in tuned))
    if getattr(args, "tune", False) or "--tune" in getattr(args, "extra", ()):
        lines.append(f"tuned on all labels: {tune(parts, sample.gold, all_rows)}")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Topic tagging figures")
    parser.add_argument("--limit", type=int, default=None, help="only the first N dev articles")
    parser.add_argument("--tune", action="store_true")
    print(report(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
