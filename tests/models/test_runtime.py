"""Inference backends: the same network gives the same answers on each, and the choice is checked."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers import BertConfig, BertForTokenClassification

from models import runtime


@pytest.fixture(scope="module")
def tiny_tagger():
    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64, num_labels=3)
    return BertForTokenClassification(config).eval()


def batch(rows: int = 3, length: int = 12) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    mask = np.ones((rows, length), dtype=np.int64)
    mask[0, 8:] = 0  # one padded row
    return {"input_ids": rng.integers(1, 50, (rows, length)), "attention_mask": mask,
            "token_type_ids": np.zeros((rows, length), dtype=np.int64)}


@pytest.mark.parametrize("backend", ["torch-bf16", "onnx-int8"])
def test_backends_agree_with_fp32(tiny_tagger, backend, tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTES_ONNX_CACHE", str(tmp_path))
    reference = runtime.make_forward(tiny_tagger, "torch", "tiny", "logits")(batch())
    logits = runtime.make_forward(tiny_tagger, backend, "tiny-v1", "logits")(batch())
    assert logits.shape == reference.shape == (3, 12, 3)
    assert np.abs(logits - reference).max() < 0.1
    assert (logits.argmax(-1) == reference.argmax(-1)).mean() > 0.9


def test_onnx_file_is_cached_under_the_model_version(tiny_tagger, tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTES_ONNX_CACHE", str(tmp_path))
    first = runtime.export_int8(tiny_tagger, "tagger v1/beta", "logits")
    assert first.parent == tmp_path and "/" not in first.name and first.exists()
    stamp = first.stat().st_mtime_ns
    assert runtime.export_int8(tiny_tagger, "tagger v1/beta", "logits").stat().st_mtime_ns == stamp
    assert runtime.export_int8(tiny_tagger, "tagger v2", "logits") != first
    assert [p.name for p in tmp_path.iterdir() if "fp32" in p.name or "partial" in p.name] == []


def test_weights_keep_to_7_bits_only_where_the_cpu_needs_it(tiny_tagger, tmp_path, monkeypatch):
    import onnxruntime.quantization

    asked = []
    quantize = onnxruntime.quantization.quantize_dynamic
    monkeypatch.setattr(onnxruntime.quantization, "quantize_dynamic",
                        lambda *args, **kwargs: asked.append(kwargs) or quantize(*args, **kwargs))
    monkeypatch.setenv("QUOTES_ONNX_CACHE", str(tmp_path))
    monkeypatch.setattr(runtime, "int8_weights_need_7_bits", lambda: True)
    seven = runtime.export_int8(tiny_tagger, "tagger v1", "logits")
    assert runtime.version_suffix("onnx-int8") == "+onnx-int8r7"
    monkeypatch.setattr(runtime, "int8_weights_need_7_bits", lambda: False)
    eight = runtime.export_int8(tiny_tagger, "tagger v1", "logits")
    assert runtime.version_suffix("onnx-int8") == "+onnx-int8"
    assert [kwargs["reduce_range"] for kwargs in asked] == [True, False]
    assert seven != eight  # a cache shared by two kinds of CPU never serves the other's file
    assert runtime.version_suffix("torch") == ""
    assert runtime.version_suffix("torch-bf16") == "+torch-bf16"
    monkeypatch.undo()
    monkeypatch.setattr("platform.machine", lambda: "aarch64")
    assert runtime.int8_weights_need_7_bits() is False


def test_environment_overrides_the_measured_best(monkeypatch):
    monkeypatch.setenv("QUOTES_INFERENCE_BACKEND", "torch")
    assert runtime.choose_backend("onnx-int8") == "torch"
    monkeypatch.setenv("QUOTES_INFERENCE_BACKEND", "tensorrt")
    with pytest.raises(ValueError, match="QUOTES_INFERENCE_BACKEND"):
        runtime.choose_backend("onnx-int8")


def test_bf16_falls_back_to_fp32_without_native_support(monkeypatch):
    monkeypatch.delenv("QUOTES_INFERENCE_BACKEND", raising=False)
    monkeypatch.setattr(runtime, "native_bf16", lambda: False)
    assert runtime.choose_backend("torch-bf16") == "torch"  # not int8: batch-dependent
    monkeypatch.setattr(runtime, "native_bf16", lambda: True)
    assert runtime.choose_backend("torch-bf16") == "torch-bf16"
    assert runtime.choose_backend("onnx-int8") == "onnx-int8"


def test_unknown_backend_is_refused(tiny_tagger):
    with pytest.raises(ValueError, match="unknown backend"):
        runtime.make_forward(tiny_tagger, "tpu", "tiny", "logits")


def test_served_stance_scores_do_not_depend_on_the_batch():
    """A quote's stance must not change with the other quotes analysed beside it (dynamic int8
    quantisation scales activations per batch; the served backend must not)."""
    from models.stance.model import TransformerStanceModel

    model = TransformerStanceModel.shared()
    pair = ('Ms. Lund said: "We will not sign the fishing treaty this year"', "the fishing treaty")
    alone = model.predict([pair])[0].scores
    beside_long = model.predict([pair, ("word " * 150, "something")])[0].scores
    beside_short = model.predict([pair] + [("A short quote here.", "taxes")] * 5)[0].scores
    for other in (beside_long, beside_short):
        assert all(abs(alone[k] - other[k]) < 0.01 for k in alone), (alone, other)


def test_the_mean_pooled_stance_head_exports_and_ignores_padding(tmp_path, monkeypatch):
    from transformers import BertModel

    from models.stance.model import MeanPooledClassifier

    monkeypatch.setenv("QUOTES_ONNX_CACHE", str(tmp_path))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    model = MeanPooledClassifier(BertModel(config, add_pooling_layer=False), 3).eval()
    reference = runtime.make_forward(model, "torch", "tiny-mean", "logits")(batch())
    logits = runtime.make_forward(model, "onnx-int8", "tiny-mean-v1", "logits")(batch())
    assert logits.shape == reference.shape == (3, 3)
    assert np.abs(logits - reference).max() < 0.1
    # the padded row scores as its eight real tokens do alone
    alone = {name: values[:1, :8] for name, values in batch().items()}
    unpadded = runtime.make_forward(model, "torch", "tiny-mean", "logits")(alone)
    assert np.abs(unpadded[0] - reference[0]).max() < 1e-5
