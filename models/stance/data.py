"""Stance training and evaluation data: VAST, P-Stance and our own synthetic news quotes.

Every example becomes a ``StanceExample(target, text, label, source)`` with the label in
favor / against / neutral. The corpora are read from ``../shared/data`` (or ``$STANCE_DATA_DIR``)
and never copied into the project.
"""
from __future__ import annotations

import os
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"

VAST_LABELS = {0: "against", 1: "favor", 2: "neutral"}
PSTANCE_LABELS = {"FAVOR": "favor", "AGAINST": "against", "NONE": "neutral"}
PSTANCE_TARGETS = ("trump", "biden", "bernie")


@dataclass(frozen=True)
class StanceExample:
    target: str
    text: str
    label: str
    source: str  # "vast", "pstance", "synthetic"
    group: str = ""  # examples sharing a group (a VAST post) stay on one side of a split
    seen: int | None = None  # VAST dev: 1 = few-shot topic, 0 = zero-shot topic


def data_dir() -> Path:
    return Path(os.environ.get("STANCE_DATA_DIR", DEFAULT_DATA_DIR))


def load_vast_train() -> list[StanceExample]:
    frame = pd.read_csv(data_dir() / "vast" / "vast_train.slim.csv.gz")
    return [
        StanceExample(row.topic_str, row.post, VAST_LABELS[int(row.label)], "vast",
                      group=f"vast:{row.ori_id}")
        for row in frame.itertuples()
    ]


def load_vast_dev() -> list[StanceExample]:
    frame = pd.read_csv(data_dir() / "vast" / "vast_dev.4col.csv")
    return [
        StanceExample(row.Target, row.Tweet, VAST_LABELS[int(row.Stance)], "vast",
                      seen=int(row._4))
        for row in frame.itertuples()
    ]


def load_pstance(split: str) -> list[StanceExample]:
    """``split`` is "train" or "val"; NONE rows are kept as neutral (evaluation drops them)."""
    examples = []
    for name in PSTANCE_TARGETS:
        frame = pd.read_csv(data_dir() / "pstance" / f"raw_{split}_{name}.csv")
        examples += [
            StanceExample(row.Target, row.Tweet, PSTANCE_LABELS[row.Stance], "pstance",
                          group=f"pstance:{name}:{row.Index}")
            for row in frame.itertuples()
        ]
    return examples


def split_by_group(
    examples: Iterable[StanceExample], held_fraction: float, seed: int = 13
) -> tuple[list[StanceExample], list[StanceExample]]:
    """Split off ``held_fraction`` of the groups (a VAST post and all its topics go together)."""
    examples = list(examples)
    groups = sorted({e.group or str(i) for i, e in enumerate(examples)})
    random.Random(seed).shuffle(groups)
    held = set(groups[: round(len(groups) * held_fraction)])
    kept = [e for i, e in enumerate(examples) if (e.group or str(i)) not in held]
    held_out = [e for i, e in enumerate(examples) if (e.group or str(i)) in held]
    return kept, held_out
