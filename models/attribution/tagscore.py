"""Training monitor: exact F1 of the tagged spans per role, before grouping into quotes.

Each piece of a discontinuous gold span counts as its own span here, as the tagger sees it.
Boundaries are compared after trimming whitespace, quotation marks and edge punctuation, like
the project's evaluation. The end-to-end figures on quotes come from ``models.evaluation``.
"""
from __future__ import annotations

from collections import Counter

from models.attribution.decoding import tags_to_spans, viterbi
from models.attribution.encoding import ROLES, WINDOW, encode
from models.attribution.inference import log_probs_per_article
from models.runtime import make_forward

EDGE = " \t\n\r\"'“”‘’.,;:!?()[]—–-"


def normalise(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return (start, end) if end > start else None


def f1(tp: int, fp: int, fn: int) -> float:
    return round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0


def predicted_spans(model, tokenizer, articles, batch_size: int = 32, backend: str = "torch",
                    window: int = WINDOW):
    encoded = [encode(tokenizer, a.text) for a in articles]
    forward = make_forward(model, backend, "", "logits")
    scores = log_probs_per_article(encoded, forward, tokenizer.cls_token_id,
                                   tokenizer.sep_token_id, batch_size=batch_size, window=window)
    return [tags_to_spans(viterbi(s), e.offsets, a.text)
            for s, e, a in zip(scores, encoded, articles)]


def score_tagged_spans(model, tokenizer, articles, backend: str = "torch",
                       window: int = WINDOW) -> dict[str, float]:
    counts = {role: Counter() for role in ROLES}
    for article, spans in zip(articles, predicted_spans(model, tokenizer, articles,
                                                              backend=backend, window=window)):
        for role in ROLES:
            predicted = {normalise(article.text, s.start, s.end) for s in spans if s.role == role}
            gold = {normalise(article.text, a, b) for attribution in article.attributions
                    for a, b in _pieces(attribution, role)}
            predicted.discard(None)
            gold.discard(None)
            counts[role].update(tp=len(predicted & gold), fp=len(predicted - gold),
                                fn=len(gold - predicted))
    return {role: f1(c["tp"], c["fp"], c["fn"]) for role, c in counts.items()}


def _pieces(attribution, role: str):
    span = getattr(attribution, role.lower())
    return span.pieces if span is not None else ()

