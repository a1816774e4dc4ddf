"""Wordpiece scores -> BIO-valid tag path -> character spans per role."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.attribution.encoding import LABELS, ROLES


def _allowed_transitions() -> np.ndarray:
    """allowed[i, j]: may label j follow label i? I-X only continues B-X or I-X."""
    allowed = np.ones((len(LABELS), len(LABELS)), dtype=bool)
    for j, label in enumerate(LABELS):
        if label.startswith("I-"):
            role = label[2:]
            for i, previous in enumerate(LABELS):
                allowed[i, j] = previous in (f"B-{role}", f"I-{role}")
    return allowed


ALLOWED = _allowed_transitions()
CAN_START = np.array([not label.startswith("I-") for label in LABELS])


def viterbi(log_probs: np.ndarray) -> np.ndarray:
    """Most probable label path under the BIO constraints (argmax would allow O I-X)."""
    n, k = log_probs.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    transition = np.where(ALLOWED, 0.0, -np.inf)
    score = np.where(CAN_START, log_probs[0], -np.inf)
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        candidates = score[:, None] + transition  # (from, to)
        back[t] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + log_probs[t]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


@dataclass(frozen=True)
class TaggedSpan:
    role: str
    start: int  # character offsets, whitespace trimmed
    end: int


def tags_to_spans(tags: np.ndarray, offsets: np.ndarray, text: str) -> list[TaggedSpan]:
    """Character spans of each B-/I- run. Spans run from the first to the last wordpiece.

    A run is also cut at a line break: in PolNeAR train 1 gold span in 61,492 crosses one.
    """
    spans: list[TaggedSpan] = []
    role, first, last = None, 0, 0

    def close():
        if role is not None:
            start, end = _whole_words(text, int(offsets[first, 0]), int(offsets[last, 1]))
            spans.append(TaggedSpan(role, start, end))

    for i, tag in enumerate(tags):
        label = LABELS[int(tag)]
        new_line = i > 0 and "\n" in text[offsets[i - 1, 1]:offsets[i, 0]]
        if label.startswith("B-") or (label.startswith("I-") and (label[2:] != role or new_line)):
            close()
            role, first, last = label[2:], i, i
        elif label.startswith("I-"):
            last = i
        else:
            close()
            role = None
    close()
    return [s for s in (trim(s, text) for s in spans) if s.end > s.start]


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span that starts or ends inside a word ('Mach|ado', 'aren’|t') to the whole word:
    the tagger scores wordpieces, but annotated spans split words only at a clitic ('he|’s')."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    if (1 < end < len(text) and text[end - 1] in "’'" and text[end - 2].isalnum()
            and text[end].isalnum()):
        end += 1  # the clitic's apostrophe was tagged ("aren’|t"): take all of it
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def trim(span: TaggedSpan, text: str) -> TaggedSpan:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return TaggedSpan(span.role, start, end)


def spans_by_role(spans: list[TaggedSpan]) -> dict[str, list[TaggedSpan]]:
    return {role: [s for s in spans if s.role == role] for role in ROLES}
