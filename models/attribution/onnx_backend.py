"""ONNX Runtime int8 backend: the same tagger exported to ONNX and dynamically quantised.

The committed artefact stays the fp16 safetensors; the int8 ONNX file is derived from it on
first use and cached (``$ATTRIBUTION_ONNX_CACHE`` or ``var/cache/attribution``), keyed by the
model version, so it never goes stale when the weights change.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from models.attribution.modeling import load_trained, model_card

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
DEFAULT_CACHE = Path(__file__).resolve().parents[2] / "var" / "cache" / "attribution"


def cache_dir() -> Path:
    return Path(os.environ.get("ATTRIBUTION_ONNX_CACHE", DEFAULT_CACHE))


def export_int8(weights_dir: Path, out: Path | None = None) -> Path:
    """Export to ONNX (fp32) and quantise the weights to int8; returns the int8 file."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    version = model_card(weights_dir)["version"]
    out = out or cache_dir() / f"{version}.int8.onnx"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    fp32 = out.with_suffix(".fp32.onnx")
    model = load_trained(weights_dir)
    example = tuple(torch.ones((1, 8), dtype=torch.long) for _ in INPUTS)
    axes = {name: {0: "batch", 1: "length"} for name in (*INPUTS, "logits")}
    torch.onnx.export(model, example, str(fp32), input_names=list(INPUTS),
                      output_names=["logits"], dynamic_axes=axes, opset_version=17,
                      dynamo=False)
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)
    fp32.unlink()
    return out


def onnx_forward(weights_dir: Path, threads: int | None = None):
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    session = ort.InferenceSession(str(export_int8(weights_dir)), options,
                                   providers=["CPUExecutionProvider"])

    def run(batch: dict[str, np.ndarray]) -> np.ndarray:
        return session.run(["logits"], {name: batch[name] for name in INPUTS})[0]

    return run
