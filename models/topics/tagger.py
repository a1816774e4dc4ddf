"""Topic tagging: zero or one catalogue topic per quote, by keywords plus embedding similarity.

Score of topic t for a quote q in paragraph p::

    score = QUOTE_WEIGHT * cos(q, t) + PARAGRAPH_WEIGHT * cos(p, t)
            + (1 - QUOTE_WEIGHT - PARAGRAPH_WEIGHT) * cos(h, t)
            + KEYWORD_IN_QUOTE if a keyword of t occurs in q
            + KEYWORD_IN_PARAGRAPH if it occurs only in p

where h is the article's headline (``Document.title``, else its first line; a slug is no
title): many quotes only make sense in the light of what the article is about ("he would not
answer questions" in a story on Clinton's email server). The best topic is assigned when its
score reaches the threshold; otherwise the quote has no topic. ``t`` is the mean of the
embeddings of the topic's label and of its "label. description"; embeddings are cached per
topic text, so a topic added to the catalogue is used at once, without retraining. The weights
and the threshold were tuned on hand-labelled PolNeAR dev quotes
(``models/evaluation/topics.py --tune``).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from models.pipeline import Stage
from models.topics.context import paragraph, quote_text
from models.types import Document, Topic, TopicAssignment

CATALOGUE_FILE = Path(__file__).resolve().parents[2] / "config" / "topics.json"


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised vector per text."""


@dataclass(frozen=True)
class TaggerParams:
    """Tuned on all hand labels by ``python -m models.evaluation.topics --tune``."""

    quote_weight: float = 0.2
    paragraph_weight: float = 0.3
    keyword_in_quote: float = 0.2
    keyword_in_paragraph: float = 0.1
    threshold: float = 0.35


def load_catalogue(path: Path = CATALOGUE_FILE) -> tuple[Topic, ...]:
    return tuple(
        Topic(t["id"], t["label"], t.get("description", ""), tuple(t.get("keywords", ())))
        for t in json.loads(Path(path).read_text())
    )


# A title of fewer words than this is a slug ("Trump-Abe 004", "TRADE/"), not a headline
HEADLINE_MIN_WORDS = 3


def is_slug(title: str) -> bool:
    """Fewer than three words separated by spaces, in a script that separates words by spaces
    (a Chinese or Japanese headline has none)."""
    if any(unicodedata.east_asian_width(c) in "WF" for c in title):
        return False  # no spaces to count words by
    return len(title.split()) < HEADLINE_MIN_WORDS


def headline(doc: Document) -> str:
    """The title, else the first non-empty line (wire copy often starts with its headline or
    lede). A slug carries no topic, and at the headline's weight in the score it would pull
    every quote below the threshold, so a slug title counts as none."""
    if doc.title and not is_slug(doc.title):
        return doc.title
    return next((line.strip() for line in doc.text.splitlines() if line.strip()), "")[:300]


def topic_text(topic: Topic) -> str:
    return f"{topic.label}. {topic.description}".strip()


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern | None:
    """Whole-word match, plurals allowed; acronyms (all capitals) must match their case."""
    if not keywords:
        return None
    parts = []
    for keyword in keywords:
        body = re.escape(keyword).replace(r"\ ", r"[\s-]+")
        body = body if keyword.isupper() else f"(?i:{body})"
        parts.append(rf"\b{body}(?:s|es)?\b")
    return re.compile("|".join(parts))


class TopicTagger(Stage):
    name = "topics"
    version = "kw-emb-2"  # 2: a slug title is no headline
    role = "topics"

    def __init__(self, encoder: Encoder | None = None, params: TaggerParams = TaggerParams()):
        self._encoder = encoder
        self.params = params
        self._topic_vectors: dict[str, np.ndarray] = {}
        self._patterns: dict[tuple[str, ...], re.Pattern | None] = {}

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:  # loaded on first use, once per tagger
            from models.topics.encoder import MiniLMEncoder

            self._encoder = MiniLMEncoder.shared()
        return self._encoder

    def topic_matrix(self, topics: Sequence[Topic]) -> np.ndarray:
        """One unit vector per topic: the mean of the embeddings of its label and of its
        "label. description" (the label alone is sharper, the description adds recall; their
        mean did best on the labelled sample). Only texts never seen before are encoded."""
        labels = [t.label for t in topics]
        described = [topic_text(t) for t in topics]
        new = [t for t in dict.fromkeys(labels + described) if t not in self._topic_vectors]
        if new:
            self._topic_vectors.update(zip(new, self.encoder.encode(new)))
        mean = np.stack([self._topic_vectors[a] + self._topic_vectors[b]
                         for a, b in zip(labels, described)])
        return mean / np.linalg.norm(mean, axis=1, keepdims=True).clip(min=1e-9)

    def keyword_hits(self, topics: Sequence[Topic], text: str) -> np.ndarray:
        hits = np.zeros(len(topics))
        for i, topic in enumerate(topics):
            if topic.keywords not in self._patterns:
                self._patterns[topic.keywords] = keyword_pattern(topic.keywords)
            pattern = self._patterns[topic.keywords]
            hits[i] = bool(pattern and pattern.search(text))
        return hits

    def similarities(self, quotes: Sequence[str], paragraphs: Sequence[str],
                     headlines: Sequence[str], topics: Sequence[Topic]) -> list[np.ndarray]:
        """Cosine similarity to each topic of the quotes, their paragraphs and headlines."""
        topic_vectors = self.topic_matrix(topics)
        # each distinct text encoded once: a one-paragraph quote is its own paragraph, and all
        # quotes of an article share its headline
        texts = list(dict.fromkeys([*quotes, *paragraphs, *headlines]))
        similarity = self.encoder.encode(texts) @ topic_vectors.T
        row = {text: i for i, text in enumerate(texts)}
        return [similarity[[row[t] for t in group]] for group in (quotes, paragraphs, headlines)]

    def scores(self, quotes: Sequence[str], paragraphs: Sequence[str], headlines: Sequence[str],
               topics: Sequence[Topic]) -> np.ndarray:
        """(quotes x topics) matrix of scores."""
        p = self.params
        quote_sim, paragraph_sim, headline_sim = self.similarities(
            quotes, paragraphs, headlines, topics)
        similarity = (p.quote_weight * quote_sim + p.paragraph_weight * paragraph_sim
                      + (1 - p.quote_weight - p.paragraph_weight) * headline_sim)
        in_quote = np.stack([self.keyword_hits(topics, q) for q in quotes])
        in_paragraph = np.stack([self.keyword_hits(topics, t) for t in paragraphs])
        return (similarity + p.keyword_in_quote * in_quote
                + p.keyword_in_paragraph * np.clip(in_paragraph - in_quote, 0, 1))

    def assign(self, scores: np.ndarray, topics: Sequence[Topic]) -> list[TopicAssignment | None]:
        out = []
        for row in scores:
            best = int(row.argmax())
            if row[best] >= self.params.threshold:
                confidence = float(np.clip(row[best], 0.0, 1.0))
                out.append(TopicAssignment(topics[best].id, topics[best].label,
                                           round(confidence, 4)))
            else:
                out.append(None)
        return out

    # Stage interface -------------------------------------------------------------------------

    def preprocess(self, docs: list[Document], topics: Sequence[Topic] = (), **_):
        located = [(d, q) for d, doc in enumerate(docs) for q in range(len(doc.quotes))]
        quotes = [quote_text(docs[d], docs[d].quotes[q]) for d, q in located]
        paragraphs = [
            paragraph(docs[d].text, docs[d].quotes[q].content.start, docs[d].quotes[q].content.end)
            for d, q in located
        ]
        headlines = [headline(docs[d]) for d, _q in located]
        return located, quotes, paragraphs, headlines, tuple(topics)

    def forward(self, inputs):
        located, quotes, paragraphs, headlines, topics = inputs
        if not located or not topics:
            return located, [None] * len(located)
        return located, self.assign(self.scores(quotes, paragraphs, headlines, topics), topics)

    def postprocess(self, docs: list[Document], outputs, **_) -> list[Document]:
        located, assignments = outputs
        for (d, q), assignment in zip(located, assignments):
            docs[d].quotes[q].topic = assignment
        return docs
