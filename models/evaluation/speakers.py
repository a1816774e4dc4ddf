"""Speaker section of ``make eval``: canonical-speaker accuracy on hand labels.

Labels: ``models/evaluation/labels/speakers_dev.tsv`` (see the README beside it): PolNeAR dev
attributions whose source is a pronoun or a description, with the name of the person or
organisation meant (``NONE`` when the article never names it).

What is measured: **resolution alone**, on gold spans, for the rule sieve alone, the mention
ranker alone (every pronoun/description mention) and their combination (the ranker re-ranks
the sieve's unsure answers), when the ranker's weights are shipped. Every gold attribution of a labelled
article becomes a ``Quote`` (gold content fragments, cue and source, so that continuation and
pronoun rules see the same context a perfect extractor would give them); the resolver runs on
the article; the labelled quote, found by its source and content offsets, is scored. Extraction
errors are thus not counted here (the attribution section measures those).

A prediction is right when the resolved entity's name or one of its aliases is the labelled
name (same first and last name after dropping titles, case and accents), or when the article
only gives a surname and it is the labelled name's surname (the labels write the standard
full name, "Barack Obama" for "Mr. Obama"; likewise "Obama administration" for "Barack Obama
administration"); only the entity's own name counts for that, not its aliases. Middle initials
do not count ("Donald J. Trump" is "Donald Trump"); a campaign or an administration is right
when its person's first and last names are ("Hillary Rodham Clinton campaign"). For ``NONE``
rows, a prediction is right when the resolver abstains.
"""
from __future__ import annotations

import argparse
import csv
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from models.data.polnear import Article, load_split
from models.evaluation.attribution import gold_type
from models.pipeline import Stage
from models.speakers.linking import normalize_name
from models.types import Document, Entity, Quote, Span

LABELS_DIR = Path(__file__).parent / "labels"
PERSONAL_SUFFIXES = {"campaign", "administration"}  # organisations named after a person
LABELS = LABELS_DIR / "speakers_dev.tsv"


def labels_for(split: str) -> Path:
    """The hand labels of a PolNeAR split: ``speakers_<split>.tsv``. The train labels are for
    developing the sieve; the dev labels only measure it."""
    return LABELS_DIR / f"speakers_{split}.tsv"


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
    return Document(text=text, published_at=article.published_at, quotes=quotes)


def is_right(entity: Entity | None, gold_name: str) -> bool:
    if gold_name.upper() == "NONE":
        return entity is None
    if entity is None:
        return False
    gold = _key(gold_name)
    names = {_key(n) for n in (entity.name, *entity.aliases)} - {""}
    if gold in names or any(_same_person_organization(n, gold) for n in names):
        return True
    # only the entity's own name: an alias "Trump" of Donald Trump must not pass for Ivanka Trump
    return _same_surname(_key(entity.name), gold)


def _same_surname(predicted: str, gold: str) -> bool:
    """"Obama" for "Barack Obama", "Obama administration" for "Barack Obama administration":
    the article gave the surname only."""
    words, gold_words = predicted.split(), gold.split()
    suffix = [w for w in words[-1:] if w in PERSONAL_SUFFIXES]
    if len(words) != 1 + len(suffix) or len(gold_words) < 2 + len(suffix):
        return False
    return words == gold_words[len(gold_words) - len(words):]


def _same_person_organization(predicted: str, gold: str) -> bool:
    """"Hillary Rodham Clinton campaign" for "Hillary Clinton campaign": a campaign or an
    administration is its person's, so the two people's first and last names decide."""
    words, gold_words = predicted.split(), gold.split()
    if len(words) < 3 or len(gold_words) < 3 or words[-1] != gold_words[-1]:
        return False
    if words[-1] not in PERSONAL_SUFFIXES:
        return False
    return (words[0], words[-2]) == (gold_words[0], gold_words[-2])


@dataclass
class Score:
    right: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    missing: int = 0
    mistakes: list[str] = field(default_factory=list)

    def add(self, label: SpeakerLabel, ok: bool) -> None:
        for group in ("all", label.kind):
            self.total[group] += 1
            self.right[group] += ok

    def line(self, group: str) -> str:
        if not self.total[group]:
            return "    -    "
        return f"{self.right[group] / self.total[group]:.3f} ({self.right[group]}/{self.total[group]})"


def accuracy(
    resolvers: dict[str, Stage], articles: Sequence[Article], labels: Sequence[SpeakerLabel]
) -> dict[str, Score]:
    """Each resolver's score; the resolvers take turns on one article (one parse for all)."""
    by_key = {a.key: a for a in articles}
    wanted = defaultdict(list)
    for label in labels:
        if label.article_key in by_key:
            wanted[label.article_key].append(label)
    scores = {name: Score() for name in resolvers}
    for key, article_labels in wanted.items():
        for name, resolver in resolvers.items():
            doc = resolver([gold_document(by_key[key])])[0]
            _score_document(doc, key, article_labels, scores[name])
    return scores


def _score_document(doc: Document, key: str, labels: list[SpeakerLabel], score: Score) -> None:
    for label in labels:
        quote = _find(doc, label)
        if quote is None:
            score.missing += 1
            continue
        entity = doc.entity(quote.speaker.entity_key) if quote.speaker else None
        ok = is_right(entity, label.speaker_name)
        score.add(label, ok)
        if not ok:
            score.mistakes.append(
                f"{key} {label.source}: {quote.source.text if quote.source else None!r} -> "
                f"{entity.name if entity else None!r}, labelled {label.speaker_name!r}"
            )


def report(args: argparse.Namespace) -> str:
    path = labels_for(args.split)
    if not path.exists():
        return f"(skipped: no speaker labels for the {args.split} split: {path.name})"
    from models.speakers import SpeakerResolver

    labels = read_labels(path)
    articles = load_split(args.split, limit=args.limit)
    resolvers = {"sieve": SpeakerResolver(mode="sieve")}
    for mode in ("ranker", "combined"):
        resolver = SpeakerResolver(mode=mode)
        if resolver.ranker is not None:
            resolvers[mode] = resolver
    started = time.perf_counter()
    scores = accuracy(resolvers, articles, labels)
    seconds = time.perf_counter() - started
    from models.speakers.sieve import DEFAULT_MODE

    shipped = resolvers.get(DEFAULT_MODE, resolvers["sieve"])
    first = scores["sieve"]
    lines = [
        f"canonical speaker accuracy on {args.split}, gold source spans ({len(labels)} labels, "
        f"{first.total['all']} scored, {first.missing} not found; {seconds:.1f} s for "
        f"{len(resolvers)} resolvers; the pipeline runs {DEFAULT_MODE}: {shipped.tag})",
        "  " + f"{'':<10}" + "".join(f"{group:<20}" for group in ("all", "pronoun", "description")),
    ]
    for name, score in scores.items():
        cells = "".join(f"{score.line(group):<20}" for group in ("all", "pronoun", "description"))
        lines.append(f"  {name:<10}{cells}")
    if "ranker" not in scores:
        lines.append("  (no ranker weights: python -m models.speakers.train)")
    lines.append("  target (issue 3): >= 0.90")
    if getattr(args, "verbose", False) or "--show-mistakes" in getattr(args, "extra", []):
        for name, score in scores.items():
            lines.extend(f"  x [{name}] " + m for m in score.mistakes)
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
    """Normalised, without a leading "the" or middle initials: the labels drop them ("Donald
    J. Trump" is labelled "Donald Trump")."""
    words = normalize_name(name).removeprefix("the ").split()
    return " ".join(w for i, w in enumerate(words) if len(w) > 1 or i in (0, len(words) - 1))


def _span(text: str, gold) -> Span | None:
    return None if gold is None else Span.of(text, gold.start, gold.end)
