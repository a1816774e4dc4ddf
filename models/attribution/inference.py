"""Batched windowed forward pass over whole articles, merged back to one score row per wordpiece."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from models.attribution.encoding import (
    LABELS,
    EncodedArticle,
    WINDOW,
    build_window,
    central_owner,
    pad_batch,
    window_starts,
)
from models.batching import length_batches
from models.runtime import Forward


def article_windows(articles: Sequence[EncodedArticle], cls_id: int, sep_id: int,
                    window: int = WINDOW):
    """All windows of all articles as (article index, window index, start, model inputs);
    consecutive windows overlap by half."""
    plan = []
    for a, article in enumerate(articles):
        for w, start in enumerate(window_starts(len(article.input_ids), window // 2, window)):
            plan.append((a, w, start, build_window(article, start, cls_id, sep_id, window=window)))
    return plan


def log_probs_per_article(
    articles: Sequence[EncodedArticle], forward: Forward, cls_id: int, sep_id: int,
    batch_size: int = 16, window: int = WINDOW,
) -> list[np.ndarray]:
    """(n_wordpieces, n_labels) log-probabilities per article, each wordpiece scored by the
    window where it is most central (its context is then widest on both sides). ``window``
    must be the one the model was trained with (its card says)."""
    plan = article_windows(articles, cls_id, sep_id, window)
    # windows of similar length together: less padding in the last windows of short articles
    logits: dict[int, np.ndarray] = {}
    for chunk in length_batches([len(p[3]["input_ids"]) for p in plan], batch_size):
        out = forward(pad_batch([plan[i][3] for i in chunk]))
        for row, i in enumerate(chunk):
            logits[i] = out[row, 1:len(plan[i][3]["input_ids"]) - 1]

    results = []
    by_article: dict[int, list[int]] = {}
    for i, (a, _w, _start, _inputs) in enumerate(plan):
        by_article.setdefault(a, []).append(i)
    for a, article in enumerate(articles):
        n = len(article.input_ids)
        rows = by_article.get(a, [])
        starts = [plan[i][2] for i in rows]
        owner = central_owner(n, starts, window)
        merged = np.zeros((n, len(LABELS)), dtype=np.float32)
        for w, i in enumerate(rows):
            mine = np.nonzero(owner == w)[0]
            merged[mine] = logits[i][mine - starts[w]]
        results.append(_log_softmax(merged))
    return results


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))
