"""Transformer quote extraction: a MiniLM BIO tagger for Source / Cue / Content (issue 3).

Kept light: importing this package loads neither torch nor the weights.
"""
from __future__ import annotations

from pathlib import Path

WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "weights" / "attribution"
WEIGHTS_FILE = "tagger.fp16.safetensors"


def weights_present(weights_dir: Path = WEIGHTS_DIR) -> bool:
    return (weights_dir / WEIGHTS_FILE).exists() and (
        weights_dir / "model_card.json").exists()


def load_extractor(weights_dir: Path = WEIGHTS_DIR, backend: str | None = None, **options):
    """The trained extractor ``Stage``, or ``None`` while no weights are shipped.

    ``backend``: one of ``models.runtime.BACKENDS`` (default: ``$QUOTES_INFERENCE_BACKEND``, else
    the one measured best); ``options``: batch_size, threads (ONNX).
    """
    if not weights_present(weights_dir):
        return None
    from models.attribution.extractor import TransformerQuoteExtractor

    return TransformerQuoteExtractor(weights_dir, backend=backend, **options)
