"""Speaker section of ``make eval``: canonical-speaker accuracy on hand labels.

Labels: ``models/evaluation/labels/speakers_dev.tsv`` (see the README beside it): PolNeAR dev
attributions whose source is a pronoun or a description, with the name of the person or
organisation meant (``NONE`` when the article never names it).

What is measured: **resolution alone**, on gold spans. Every gold attribution of a labelled
article becomes a ``Quote`` (gold content fragments, cue and source, so that continuation and
pronoun rules see the same context a perfect extractor would give them); the resolver runs on
the article; the labelled quote, found by its source and content offsets, is scored. Extraction
errors are thus not counted here (the attribution section measures those).

A prediction is right when the resolved entity's name or one of its aliases is the labelled
name (same first and last name after dropping titles, case and accents), or when the article
only gives a surname and it is the labelled name's surname (the labels write the standard
full name, "Barack Obama" for "Mr. Obama"); for ``NONE`` rows, when the resolver abstains.
"""
from __future__ import annotations

import argparse
import csv
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from models.data.polnear import Article, load_split
from models.evaluation.attribution import gold_type
from models.pipeline import Stage
from models.speakers.linking import normalize_name
from models.types import Document, Entity, Quote, Span

LABELS = Path(__file__).parent / "labels" / "speakers_dev.tsv"


@dataclass(frozen=True)
class SpeakerLabel:
    article_key: str
    source: tuple[int, int]
    content: tuple[int, int]
    speaker_name: str
    kind: str


def read_labels(path: Path = LABELS) -> list[SpeakerLabel]:
    with path.open(encoding="utf-8") as handle:
        return [
            SpeakerLabel(
                row["article_key"],
                (int(row["source_start"]), int(row["source_end"])),
                (int(row["content_start"]), int(row["content_end"])),
                row["speaker_name"].strip(),
                row.get("kind", ""),
            )
            for row in csv.DictReader(handle, delimiter="\t")
        ]


def gold_document(article: Article) -> Document:
    """The article with its gold attributions as quotes (no speakers yet)."""
    text, quotes = article.text, []
    for attribution in article.attributions:
        if attribution.content is None:
            continue
        fragments = tuple(Span.of(text, s, e) for s, e in attribution.content.pieces)
        quotes.append(
            Quote(
                type=gold_type(text, attribution.content.pieces),  # type: ignore[arg-type]
                content=Span.of(text, fragments[0].start, fragments[-1].end),
                content_fragments=fragments if len(fragments) > 1 else (),
                cue=_span(text, attribution.cue),
                source=_span(text, attribution.source),
            )
        )
    quotes.sort(key=lambda q: q.content.start)
    return Document(text=text, quotes=quotes)


def is_right(entity: Entity | None, gold_name: str) -> bool:
    if gold_name.upper() == "NONE":
        return entity is None
    if entity is None:
        return False
    gold = _key(gold_name)
    names = {_key(n) for n in (entity.name, *entity.aliases)} - {""}
    if gold in names:
        return True
    gold_words = gold.split()
    return any(len(n.split()) == 1 and gold_words and n == gold_words[-1] for n in names)


def accuracy(resolver: Stage, articles: Sequence[Article], labels: Sequence[SpeakerLabel]):
    by_key = {a.key: a for a in articles}
    wanted = defaultdict(list)
    for label in labels:
        if label.article_key in by_key:
            wanted[label.article_key].append(label)
    right, total, missing = Counter(), Counter(), 0
    mistakes: list[str] = []
    for key, article_labels in wanted.items():
        doc = resolver([gold_document(by_key[key])])[0]
        for label in article_labels:
            quote = _find(doc, label)
            if quote is None:
                missing += 1
                continue
            entity = doc.entity(quote.speaker.entity_key) if quote.speaker else None
            ok = is_right(entity, label.speaker_name)
            for group in ("all", label.kind):
                total[group] += 1
                right[group] += ok
            if not ok:
                mistakes.append(
                    f"{key} {label.source}: {quote.source.text if quote.source else None!r} -> "
                    f"{entity.name if entity else None!r}, labelled {label.speaker_name!r}"
                )
    return right, total, missing, mistakes


def report(args: argparse.Namespace) -> str:
    if not LABELS.exists():
        return f"(skipped: {LABELS.relative_to(Path.cwd()) if LABELS.is_relative_to(Path.cwd()) else LABELS} not there yet)"
    if args.split != "dev":
        return "(skipped: speaker labels exist for dev only)"
    from models.speakers import SpeakerResolver

    labels = read_labels()
    articles = load_split("dev", limit=args.limit)
    started = time.perf_counter()
    right, total, missing, mistakes = accuracy(SpeakerResolver(), articles, labels)
    seconds = time.perf_counter() - started
    lines = [
        f"canonical speaker accuracy, gold source spans through the rule sieve "
        f"({len(labels)} labels, {total['all']} scored, {missing} not found; {seconds:.1f} s)"
    ]
    for group in ("all", "pronoun", "description"):
        if total[group]:
            lines.append(
                f"  {group:<12} {right[group] / total[group]:.3f}  ({right[group]}/{total[group]})"
            )
    lines.append("  target (issue 3): >= 0.90")
    if getattr(args, "verbose", False) or "--show-mistakes" in getattr(args, "extra", []):
        lines.extend("  x " + m for m in mistakes)
    return "\n".join(lines)


def _find(doc: Document, label: SpeakerLabel) -> Quote | None:
    for quote in doc.quotes:
        if (
            quote.source is not None
            and (quote.source.start, quote.source.end) == label.source
            and (quote.content.start, quote.content.end) == label.content
        ):
            return quote
    return None


def _key(name: str) -> str:
    return normalize_name(name).removeprefix("the ")


def _span(text: str, gold) -> Span | None:
    return None if gold is None else Span.of(text, gold.start, gold.end)
