"""Plain data that flows through the NLP pipeline.

Everything here is a frozen or plain dataclass with no behaviour beyond small helpers, so that
the web service, the workers, the evaluation scripts and the tests can all build and read it
without importing torch, spaCy, Flask or SQLAlchemy.

Offsets are Unicode code-point offsets into ``Document.text``, end exclusive, so that
``text[span.start:span.end] == span.text`` always holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

QuoteType = Literal["direct", "indirect", "mixed"]
StanceLabel = Literal["favor", "against", "neutral"]
STANCE_LABELS: tuple[StanceLabel, ...] = ("favor", "against", "neutral")
EntityKind = Literal["person", "organization", "group", "unknown"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])


@dataclass(frozen=True)
class Topic:
    """A topic of the catalogue, as the pipeline sees it (no database ids beyond ``id``)."""

    id: str
    label: str
    description: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicAssignment:
    topic_id: str
    label: str
    confidence: float


@dataclass(frozen=True)
class StancePrediction:
    label: StanceLabel
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class Entity:
    """A speaker as resolved *within one article*: the cluster of its mentions.

    ``name`` is the most complete name the article gives ("Donald Trump"); ``aliases`` are the
    other surface names used for it in this article ("Trump", "President Trump"). Linking to
    the speakers stored across articles happens in the service, which owns the database.
    """

    key: str
    name: str
    kind: EntityKind = "person"
    aliases: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()  # "the U.S. president", "Japan's prime minister"


@dataclass
class SpeakerAssignment:
    entity_key: str
    confidence: float


@dataclass
class Quote:
    type: QuoteType
    content: Span
    # Discontinuous contents ("I like it," he said, "and I want it.") keep every piece here;
    # ``content`` then covers them from the first start to the last end.
    content_fragments: tuple[Span, ...] = ()
    cue: Span | None = None
    source: Span | None = None
    speaker: SpeakerAssignment | None = None
    topic: TopicAssignment | None = None
    stance: StancePrediction | None = None
    # When the article reports an earlier statement ("Last week, the president expressed
    # interest in rejoining ..."): the estimated day it was made, if the text tells it.
    reported_earlier: bool = False
    said_on: date | None = None

    def fragments(self) -> tuple[Span, ...]:
        return self.content_fragments or (self.content,)


@dataclass
class Document:
    """One article on its way through the pipeline; stages fill ``quotes`` and ``entities``."""

    text: str
    title: str | None = None
    published_at: date | None = None
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    def entity(self, key: str) -> Entity | None:
        return next((e for e in self.entities if e.key == key), None)
