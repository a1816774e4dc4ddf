"""Article -> wordpieces, a quotation-mark feature, gold BIO labels, and overlapping windows.

Shared by training and inference so that both see exactly the same input. Whole articles are
tokenised once with character offsets; the model reads them in windows of ``WINDOW`` wordpieces
and every wordpiece keeps the prediction of the window where it sits most centrally.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LABELS = ("O", "B-Source", "I-Source", "B-Cue", "I-Cue", "B-Content", "I-Content")
LABEL_ID = {label: i for i, label in enumerate(LABELS)}
ROLES = ("Source", "Cue", "Content")

WINDOW = 256  # wordpieces per window, [CLS] and [SEP] included
STRIDE = 128  # inference step between windows; each wordpiece is read by ~2 windows

OPENING_QUOTES = "“‘"
CLOSING_QUOTES = "”’"
STRAIGHT_QUOTES = '"'


@dataclass
class EncodedArticle:
    """One article as wordpieces. ``offsets[i]`` is the (start, end) of wordpiece i in the text."""

    input_ids: np.ndarray  # (n,) int64, no special tokens
    offsets: np.ndarray  # (n, 2) int64
    in_quote: np.ndarray  # (n,) int64, 1 inside quotation marks
    labels: np.ndarray | None = None  # (n,) int64 gold label ids, when known


def quote_state(text: str) -> np.ndarray:
    """Per character: 1 inside double quotation marks (the marks themselves included), else 0.

    Double marks only: single ’ is mostly an apostrophe. Straight " toggles. The state resets at
    every line break because a quote running over paragraphs reopens with a new mark, and an
    unbalanced straight quote must not flip the rest of the article.
    """
    state = np.zeros(len(text), dtype=np.int64)
    inside = False
    for i, ch in enumerate(text):
        if ch == "\n":
            inside = False
        elif ch == "“" or (ch == STRAIGHT_QUOTES and not inside):
            inside = True
            state[i] = 1
            continue
        elif ch == "”" or (ch == STRAIGHT_QUOTES and inside):
            state[i] = 1
            inside = False
            continue
        state[i] = int(inside)
    return state


def encode(tokenizer, text: str) -> EncodedArticle:
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    offsets = np.asarray(enc["offset_mapping"], dtype=np.int64).reshape(-1, 2)
    chars = quote_state(text)
    in_quote = chars[offsets[:, 0]] if len(text) else np.zeros(0, dtype=np.int64)
    return EncodedArticle(np.asarray(enc["input_ids"], dtype=np.int64), offsets, in_quote)


def gold_labels(offsets: np.ndarray, role_pieces: list[tuple[str, int, int]]) -> np.ndarray:
    """BIO label ids from (role, start, end) character spans.

    A wordpiece belongs to a span when it starts inside it. Each piece of a discontinuous span
    gets its own B-; the grouping step joins the pieces again. The corpus is univocal (one role
    per token), so an overlap is a rare annotation slip: the first span wins.
    """
    labels = np.zeros(len(offsets), dtype=np.int64)
    taken = np.zeros(len(offsets), dtype=bool)
    starts = offsets[:, 0]
    for role, start, end in role_pieces:
        idx = np.nonzero((starts >= start) & (starts < end) & ~taken)[0]
        if not len(idx):
            continue
        labels[idx] = LABEL_ID[f"I-{role}"]
        labels[idx[0]] = LABEL_ID[f"B-{role}"]
        taken[idx] = True
    return labels


def window_starts(n_tokens: int, stride: int = STRIDE, window: int = WINDOW) -> list[int]:
    """Start positions of windows of ``window - 2`` wordpieces covering ``n_tokens``."""
    body = window - 2
    if n_tokens <= body:
        return [0]
    starts = list(range(0, n_tokens - body, stride))
    starts.append(n_tokens - body)  # the last window ends exactly at the end
    return sorted(set(starts))


def central_owner(n_tokens: int, starts: list[int], window: int = WINDOW) -> np.ndarray:
    """For each wordpiece, the index of the window in which it is most central."""
    body = window - 2
    positions = np.arange(n_tokens)
    best = np.zeros(n_tokens, dtype=np.int64)
    best_distance = np.full(n_tokens, np.inf)
    for w, start in enumerate(starts):
        end = min(start + body, n_tokens)
        inside = (positions >= start) & (positions < end)
        distance = np.abs(positions - (start + end - 1) / 2)
        better = inside & (distance < best_distance)
        best[better], best_distance[better] = w, distance[better]
    return best


def build_window(article: EncodedArticle, start: int, cls_id: int, sep_id: int,
                 end: int | None = None, window: int = WINDOW) -> dict[str, np.ndarray]:
    """Model inputs for one window; quotation state rides on ``token_type_ids``.

    MiniLM has two token-type embeddings that single-sentence tagging never uses, so they carry
    the inside-quotes flag for free: no new parameters, and the base checkpoint loads unchanged.
    """
    end = min(end if end is not None else start + window - 2, len(article.input_ids))
    ids = np.concatenate([[cls_id], article.input_ids[start:end], [sep_id]])
    types = np.concatenate([[0], article.in_quote[start:end], [0]])
    item = {"input_ids": ids, "token_type_ids": types, "attention_mask": np.ones_like(ids)}
    if article.labels is not None:
        item["labels"] = np.concatenate([[-100], article.labels[start:end], [-100]])
    return item


def pad_batch(items: list[dict[str, np.ndarray]], pad_id: int = 0) -> dict[str, np.ndarray]:
    longest = max(len(item["input_ids"]) for item in items)
    batch = {}
    for key in items[0]:
        fill = -100 if key == "labels" else (pad_id if key == "input_ids" else 0)
        rows = [np.pad(item[key], (0, longest - len(item[key])), constant_values=fill)
                for item in items]
        batch[key] = np.stack(rows)
    return batch
