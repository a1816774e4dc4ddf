"""Sentence embeddings from the pinned MiniLM: mean pooling over tokens, then L2 normalisation
(what the sentence-transformers configuration of all-MiniLM-L6-v2 does)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

from models.batching import length_batches
from models.stance.model import base_model_path


class MiniLMEncoder:
    _shared: "MiniLMEncoder | None" = None

    def __init__(self, batch_size: int = 32, max_length: int = 256):
        path = base_model_path()
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        self.batch_size = batch_size
        self.max_length = max_length

    @classmethod
    def shared(cls) -> "MiniLMEncoder":
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    @torch.inference_mode()
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        for chunk in length_batches([len(t) for t in texts], self.batch_size):
            batch = self.tokenizer([texts[i] for i in chunk], padding=True, truncation=True,
                                   max_length=self.max_length, return_tensors="pt")
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            out[chunk] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
        return out
