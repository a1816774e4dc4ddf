"""Mention ranking for pronoun and description sources ("he", "the president", "the fund").

The candidates of a mention are the article's name clusters (people and organisations, built
by the sieve) mentioned before it. Each candidate gets a small feature vector (distance,
salience, whether it spoke in an earlier attribution, gender and kind agreement, title overlap,
whether the cue names it as its object, the sieve's own choice, and optionally the MiniLM
similarity of the two contexts), and a logistic scorer trained
on PolNeAR train (``python -m models.speakers.train``) picks the best. The weights are a few
dozen floats in ``models/weights/speakers/ranker.json``; without them the sieve works alone.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from models.speakers.names import FEMALE_FIRST_NAMES, description_words, fold

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan

    from models.speakers.article import Cluster, ParsedArticle

_PARAGRAPH_BREAK = re.compile(r"\n+")
WEIGHTS = Path(__file__).resolve().parents[1] / "weights" / "speakers" / "ranker.json"

MALE_WORDS = {"he", "him", "his", "himself", "man", "husband", "father", "son", "brother",
              "spokesman", "congressman", "businessman", "chairman", "mr."}
FEMALE_WORDS = {"she", "her", "hers", "herself", "woman", "wife", "mother", "daughter",
                "sister", "spokeswoman", "congresswoman", "businesswoman", "chairwoman",
                "mrs.", "ms."}
GROUP_PRONOUNS = {"they", "them", "their", "we", "us", "it", "its", "which"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "who", "whom"}
# Not resolvable to an antecedent: the writer or the reader.
SPEECH_PARTICIPANTS = {"i", "me", "my", "you", "your"}

FEATURES = (
    "sentence_distance",  # log(1 + sentences back to the latest mention)
    "paragraph_distance",  # log(1 + paragraphs back)
    "same_sentence",
    "mention_count",  # log(1 + mentions before the mention)
    "latest_is_main_subject",
    "latest_is_subject",
    "only_in_quotes",  # every earlier mention is inside a direct quotation
    "latest_named_source",  # the speaker of the nearest earlier attribution with a named source
    "source_recency",  # 1 / (1 + rank among distinct earlier named speakers, latest first)
    "source_count",  # log(1 + earlier attributions it is the named source of)
    "gender_agrees",
    "gender_conflicts",
    "person_for_person",  # a person mention ("he", "the senator") and a person candidate
    "person_for_group",  # "it", "the fund", "they" and a person candidate
    "object_of_cue",  # "he told Trump": Trump
    "inside_mention",  # "Pagliano's lawyer": Pagliano
    "title_overlap",  # shared content words of the description and the candidate's titles
    "head_in_name_or_title",  # "the fund" and "International Monetary Fund"
    "sieve_choice",
    # cosine of MiniLM sentence embeddings (mean pooled): the mention's sentence and the
    # candidate's latest sentence; 0 when the ranker runs without the encoder
    "context_similarity",
)


@dataclass(frozen=True)
class MentionInfo:
    """What the features need to know about the mention itself."""

    start: int
    sentence: int
    paragraph: int
    gender: bool | None  # True female, False male, None unknown
    wants_person: bool
    is_description: bool
    head: str
    words: frozenset[str]


def handles(span: "SpacySpan") -> bool:
    """Pronouns (but not the writer's "I" or "you") and common-noun descriptions."""
    root = span.root
    if root.pos_ == "PRON":
        return root.lower_ not in SPEECH_PARTICIPANTS
    if any(t.like_num for t in span) or root.lemma_.lower() == "self":  # "9 percent" is a poll
        return False
    return root.pos_ in {"NOUN", "PROPN"}


def describe(article: "ParsedArticle", span: "SpacySpan") -> MentionInfo:
    root = span.root
    words = {t.lower_ for t in span}
    female = bool(words & FEMALE_WORDS)
    male = bool(words & MALE_WORDS)
    gender = True if female and not male else False if male and not female else None
    is_description = root.pos_ != "PRON"
    if is_description:
        from models.speakers.sieve import PERSON_ROLE_WORDS, described_as_person

        lemma = root.lemma_.lower()
        wants_person = lemma in PERSON_ROLE_WORDS or described_as_person(root) or gender is not None
    else:
        wants_person = root.lower_ not in GROUP_PRONOUNS
    return MentionInfo(
        start=span.start_char,
        sentence=_sentence_index(article, span.start_char),
        paragraph=_paragraph_index(article, span.start_char),
        gender=gender,
        wants_person=wants_person,
        is_description=is_description,
        head=fold(root.lemma_),
        words=frozenset(description_words(span.text)),
    )


def candidates(article: "ParsedArticle", span: "SpacySpan") -> list["Cluster"]:
    """Clusters mentioned before the mention or inside it, in order of first mention."""
    seen: dict[int, "Cluster"] = {}
    for mention in article.mentions:
        if mention.start < span.end_char:
            seen.setdefault(id(mention.cluster), mention.cluster)
    return list(seen.values())


def features(
    article: "ParsedArticle", span: "SpacySpan", cluster: "Cluster", info: MentionInfo,
    sieve_choice: "Cluster | None", cue_objects: set, similarity: float = 0.0,
) -> list[float]:
    before = [
        m for m in article.mentions
        if m.cluster is cluster and m.start < info.start
    ]
    inside = any(
        m.cluster is cluster and span.start_char <= m.start < span.end_char for m in article.mentions
    )
    latest = before[-1] if before else None
    sentence_gap = info.sentence - _sentence_index(article, latest.start) if latest else 20
    paragraph_gap = info.paragraph - _paragraph_index(article, latest.start) if latest else 20
    speakers = [c for start, c in article.named_sources if start < info.start]
    distinct = list(dict.fromkeys(reversed(speakers)))
    rank = next((i for i, c in enumerate(distinct) if c is cluster), None)
    is_person = cluster.kind == "person"
    cluster_gender = _cluster_gender(cluster)
    title_words = set()
    for title in cluster.titles:
        title_words |= description_words(title)
    name_words = {fold(w) for s in cluster.surface for w in s.split()}
    return [
        math.log1p(max(sentence_gap, 0)),
        math.log1p(max(paragraph_gap, 0)),
        float(latest is not None and sentence_gap == 0),
        math.log1p(len(before)),
        float(latest is not None and _is_main_subject(latest.root)),
        float(latest is not None and latest.root.dep_ in {"nsubj", "nsubjpass"}),
        float(bool(before) and all(article.is_quoted(m.start) for m in before)),
        float(bool(speakers) and speakers[-1] is cluster),
        1.0 / (1 + rank) if rank is not None else 0.0,
        math.log1p(sum(c is cluster for c in speakers)),
        float(is_person and info.gender is not None and cluster_gender == info.gender),
        float(is_person and info.gender is not None and cluster_gender == (not info.gender)),
        float(info.wants_person and is_person),
        float(not info.wants_person and is_person),
        float(cluster in cue_objects),
        float(inside),
        float(len(info.words & title_words)) if info.is_description else 0.0,
        float(info.is_description and (info.head in title_words or info.head in name_words)),
        float(cluster is sieve_choice),
        similarity,
    ]


def mention_rows(
    article: "ParsedArticle", span: "SpacySpan", sieve_choice: "Cluster | None", encoder=None,
    masked: "Cluster | None" = None,
) -> tuple[list["Cluster"], np.ndarray]:
    """The candidates of a mention and their feature matrix (one row each).

    ``masked`` (training only): the span is a name of that cluster, to be ranked as if it were
    "he"/"she"; its own words are then hidden from the candidates and the features.
    """
    from models.speakers.sieve import _clusters_named_by_cue

    info = describe(article, span) if masked is None else _as_pronoun(article, span, masked)
    cue_objects = _clusters_named_by_cue(article, span.root)
    clusters = candidates(article, span)
    if masked is not None:
        clusters = [c for c in clusters if any(m.cluster is c and m.start < span.start_char
                                               for m in article.mentions)]
    similarities = _similarities(article, info, clusters, encoder, span, masked)
    rows = [
        features(article, span, c, info, sieve_choice, cue_objects, similarity)
        for c, similarity in zip(clusters, similarities)
    ]
    rows = np.asarray(rows, dtype=np.float64).reshape(len(clusters), len(FEATURES))
    if masked is not None:
        rows[:, FEATURES.index("inside_mention")] = 0.0
    return clusters, rows


def _as_pronoun(article: "ParsedArticle", span: "SpacySpan", cluster: "Cluster") -> MentionInfo:
    return MentionInfo(
        start=span.start_char,
        sentence=_sentence_index(article, span.start_char),
        paragraph=_paragraph_index(article, span.start_char),
        gender=_cluster_gender(cluster),
        wants_person=cluster.kind == "person",
        is_description=False,
        head="he",
        words=frozenset(),
    )


def _similarities(article, info: MentionInfo, clusters, encoder, span, masked) -> list[float]:
    if encoder is None or not clusters:
        return [0.0] * len(clusters)
    latest = [_latest_sentence(article, c, info.start) for c in clusters]
    vectors = _sentence_vectors(article, [info.sentence, *[i for i in latest if i is not None]], encoder)
    mention = vectors[info.sentence]
    if masked is not None:  # the name itself would give the answer away
        sentence = span.sent
        text = (article.text[sentence.start_char : span.start_char] + "he"
                + article.text[span.end_char : sentence.end_char])
        mention = encoder.encode([text])[0]
    return [float(vectors[i] @ mention) if i is not None else 0.0 for i in latest]


def _latest_sentence(article, cluster, offset: int) -> int | None:
    starts = [m.start for m in article.mentions if m.cluster is cluster and m.start < offset]
    return _sentence_index(article, starts[-1]) if starts else None


def _sentence_vectors(article, indices: list[int], encoder) -> dict[int, np.ndarray]:
    """Embeddings of the article's sentences, computed once per sentence and kept on it."""
    cache = getattr(article, "_sentence_vectors", None)
    if cache is None:
        cache = article._sentence_vectors = {}
    missing = sorted(set(indices) - set(cache))
    if missing:
        sentences = list(article.parsed.sents)
        vectors = encoder.encode([sentences[i].text for i in missing])
        cache.update(zip(missing, vectors))
    return cache


class MentionRanker:
    """A logistic scorer over candidate features; the highest-scoring candidate wins."""

    def __init__(self, coef: np.ndarray, intercept: float, mean: np.ndarray, scale: np.ndarray,
                 version: str = "ranker-dev", min_probability: float = 0.0,
                 uses_encoder: bool = False):
        self.coef, self.intercept = np.asarray(coef, float), float(intercept)
        self.mean, self.scale = np.asarray(mean, float), np.asarray(scale, float)
        self.version = version
        self.min_probability = min_probability
        self.uses_encoder = uses_encoder
        self._encoder = None

    @property
    def encoder(self):
        """The shared MiniLM sentence encoder, loaded on first use (only if trained with it)."""
        if self.uses_encoder and self._encoder is None:
            from models.topics.encoder import MiniLMEncoder

            self._encoder = MiniLMEncoder.shared()
        return self._encoder

    handles = staticmethod(handles)

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        logits = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def choose(
        self, article: "ParsedArticle", span: "SpacySpan", sieve_choice: "Cluster | None"
    ) -> "Cluster | None":
        clusters, rows = mention_rows(article, span, sieve_choice, self.encoder)
        if not clusters:
            return None
        probabilities = self.probabilities(rows)
        best = int(np.argmax(probabilities))
        return clusters[best] if probabilities[best] >= self.min_probability else None

    # -- persistence

    def to_json(self) -> dict:
        return {
            "version": self.version,
            "features": list(FEATURES),
            "coef": self.coef.round(6).tolist(),
            "intercept": round(self.intercept, 6),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "min_probability": self.min_probability,
            "uses_encoder": self.uses_encoder,
        }

    @classmethod
    def from_json(cls, data: dict) -> "MentionRanker":
        if tuple(data["features"]) != FEATURES:
            raise ValueError("ranker weights were trained on other features; retrain them")
        return cls(np.array(data["coef"]), data["intercept"], np.array(data["mean"]),
                   np.array(data["scale"]), data["version"], data.get("min_probability", 0.0),
                   data.get("uses_encoder", False))

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> "MentionRanker":
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    @staticmethod
    @lru_cache(maxsize=1)
    def load_shipped() -> "MentionRanker | None":
        """The committed weights, loaded once per process; None if not trained yet."""
        try:
            return MentionRanker.load(WEIGHTS)
        except (FileNotFoundError, ValueError):
            return None


def _cluster_gender(cluster: "Cluster") -> bool | None:
    """True if known female, False if a first name that is not on the female list, else None."""
    if cluster.female is not None:
        return cluster.female
    if len(cluster.tokens) > 1:
        return cluster.tokens[0] in FEMALE_FIRST_NAMES
    return None


def _is_main_subject(token) -> bool:
    return token.dep_ in {"nsubj", "nsubjpass"} and token.head.i == token.sent.root.i


def _sentence_index(article: "ParsedArticle", offset: int) -> int:
    starts = _sentence_starts(article)
    return int(np.searchsorted(starts, offset, side="right")) - 1


def _paragraph_index(article: "ParsedArticle", offset: int) -> int:
    """Paragraphs are separated by one or more line breaks."""
    return len(_PARAGRAPH_BREAK.findall(article.text, 0, offset))


def _sentence_starts(article: "ParsedArticle") -> np.ndarray:
    starts = getattr(article, "_sentence_starts", None)
    if starts is None:
        starts = np.array([s.start_char for s in article.parsed.sents])
        article._sentence_starts = starts
    return starts
