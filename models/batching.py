"""Batches of similar length, so that padding wastes little of each forward pass."""
from __future__ import annotations

import random
from collections.abc import Iterator, Sequence


def length_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices into the inputs, shortest first, ``batch_size`` at a time. Callers write each
    batch's results back by these indices, so the output keeps the input order."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    for start in range(0, len(order), batch_size):
        yield order[start:start + batch_size]


def shuffled_length_batches(lengths: Sequence[int], batch_size: int,
                            rng: random.Random) -> list[list[int]]:
    """For training: indices in batches of similar length (sorted with a little noise, so
    that an epoch's batches differ), the batches in random order."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i] + rng.random() * 8)
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches
