"""Attribution metrics: exact span F1 per role and content token-overlap F1.

Definitions (the figures ``make eval`` prints follow them exactly):

* **Normalisation.** A span is a tuple of pieces (start, end); a discontinuous span has several.
  Each piece is trimmed of whitespace, quotation marks (straight and curly, double and single)
  and edge punctuation (``, ; : . ! ? — – - ( ) [ ]``); pieces left empty are dropped. So the gold
  content '“We were there,”' and the predicted 'We were there' are the same span.
* **Exact match F1** of a role (source, cue, content): per article, the *set* of normalised
  predicted spans of that role against the set of normalised gold spans. A true positive is a
  predicted span equal to a gold span, piece for piece: a discontinuous content matches only if
  every fragment matches (a prediction that covers both fragments *and* the "he said" between
  them does not). Sets, because PolNeAR is univocal (a token has at most one role in one
  attribution), so a source shared by two predicted quotes is one mention. The role spans are
  scored independently of the attribution they belong to, as in CofeNet's tagging evaluation.
* **Content overlap F1**: per article, the set of word tokens (regex ``\\w+``, identified by
  their offsets) that lie inside any predicted content fragment against those inside any gold
  content fragment; TP = tokens in both. Fragments are what count, so the interrupting
  '"..., " he said, "..."' words are not content. It measures how much quoted material is
  found, regardless of exact boundaries or of how it is split into quotes.
* **Micro over articles**: TP, FP and FN are summed over all articles before P/R/F1.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Pieces = tuple[tuple[int, int], ...]

TRIM_CHARS = frozenset(" \t\r\n\u00a0\"“”„«»‘’'`,;:.!?—–-()[]")
_WORD = re.compile(r"\w+")
ROLES = ("source", "cue", "content")


def normalize(text: str, pieces: Iterable[tuple[int, int]]) -> Pieces:
    """Trim every piece of whitespace, quotation marks and edge punctuation; drop empty ones."""
    trimmed = []
    for start, end in sorted(pieces):
        while start < end and text[start] in TRIM_CHARS:
            start += 1
        while end > start and text[end - 1] in TRIM_CHARS:
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return tuple(trimmed)


def word_tokens(text: str, pieces: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Offsets of the ``\\w+`` tokens inside the pieces."""
    return {
        (start + m.start(), start + m.end())
        for start, end in pieces
        for m in _WORD.finditer(text[start:end])
    }


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ArticleSpans:
    """The spans of one article, per role, as raw pieces (before normalisation)."""

    text: str
    source: list[Pieces] = field(default_factory=list)
    cue: list[Pieces] = field(default_factory=list)
    content: list[Pieces] = field(default_factory=list)


@dataclass
class AttributionScores:
    exact: dict[str, Counts] = field(default_factory=lambda: {role: Counts() for role in ROLES})
    content_overlap: Counts = field(default_factory=Counts)
    articles: int = 0

    def add(self, predicted: ArticleSpans, gold: ArticleSpans) -> None:
        text = gold.text
        for role in ROLES:
            self.exact[role].add(
                _normalized_set(text, getattr(predicted, role)),
                _normalized_set(text, getattr(gold, role)),
            )
        self.content_overlap.add(_tokens(text, predicted.content), _tokens(text, gold.content))
        self.articles += 1


def score(pairs: Iterable[tuple[ArticleSpans, ArticleSpans]]) -> AttributionScores:
    """Micro-averaged scores over (predicted, gold) pairs, one pair per article."""
    scores = AttributionScores()
    for predicted, gold in pairs:
        scores.add(predicted, gold)
    return scores


def _normalized_set(text: str, spans: Sequence[Pieces]) -> set[Pieces]:
    return {n for n in (normalize(text, pieces) for pieces in spans) if n}


def _tokens(text: str, spans: Sequence[Pieces]) -> set[tuple[int, int]]:
    return set().union(*(word_tokens(text, pieces) for pieces in spans)) if spans else set()
