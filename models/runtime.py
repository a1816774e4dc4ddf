"""How a MiniLM network is run at inference: torch fp32, torch bf16, or ONNX Runtime int8.

The tagger, the stance classifier and the topic encoder are all the same 6-layer MiniLM, so they
share this one choice. Every backend is a plain function from a batch of int64 numpy arrays
(``input_ids``, ``attention_mask``, ``token_type_ids``) to one float32 numpy output (logits, or
the last hidden state), so the stages never know which one runs.

* ``torch``: fp32, the reference.
* ``torch-bf16``: bf16 autocast; uses the CPU's bf16 instructions where it has them.
* ``onnx-int8``: the network exported to ONNX and dynamically quantised to int8: weights with
  one scale per output channel (per-tensor scales cost the tagger 1.5-2.5 F1; per channel keeps
  it), activations at run time with one scale per tensor, i.e. per batch. On x86 CPUs without
  VNNI the weights keep to 7 bits (``int8_weights_need_7_bits``), as ONNX Runtime advises there.

The committed artefacts stay the fp16 safetensors. The int8 ONNX file is derived from them on
first use and cached (``$QUOTES_ONNX_CACHE``, default ``$QUOTES_VAR_DIR/cache/onnx``) under a name that
carries the model version, so it can never go stale when the weights change.

Each network runs by default on the backend that measured fastest at equal accuracy (one
thread, PolNeAR dev; rerun with ``python -m models.attribution.bench``, ``QUOTES_INFERENCE_BACKEND=...
python -m models.evaluation``):

* tagger: bf16 2.5x faster than fp32 (9.03 against 3.58 articles/s on two threads), int8 2.4x;
  bf16 is within 0.001 of every fp32 F1, int8 loses 0.3-0.4 points on source and content
  -> ``torch-bf16``.
* stance: int8 2.3x faster than fp32 at the same P-Stance / VAST figures, but int8 is
  dynamically quantised: one activation scale per tensor, i.e. per *batch*, so a quote's
  stance depends on the other quotes it is batched with (Trump's "I don't want to go back
  into TPP" read 0.61 against alone, 0.36 beside five short quotes). bf16 is 1.7x faster
  than fp32, and padding moves its scores by less than 0.01 in any batch -> ``torch-bf16``.
* topic encoder: bf16 1.9x (cosine to fp32 > 0.9999), int8 as fast but its embeddings drift
  (cosine 0.975) and the topic tagger's 2-fold CV F1 drops from 0.614 to 0.586 -> ``torch-bf16``.

bf16 only pays on CPUs with native bf16 instructions; elsewhere the bf16 defaults fall back
to fp32 ``torch``, not to int8, whose results depend on the batch (above).
``$QUOTES_INFERENCE_BACKEND`` sets one backend for all three networks (``onnx-int8`` only by
this explicit choice, for throughput where batch-dependent scores are acceptable).
"""
from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

BACKENDS = ("torch", "torch-bf16", "onnx-int8")
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
PROJECT_DIR = Path(__file__).resolve().parents[1]

# a batch of int64 arrays -> the network's output as float32
Forward = Callable[[dict[str, np.ndarray]], np.ndarray]


def choose_backend(measured_best: str) -> str:
    """``$QUOTES_INFERENCE_BACKEND`` if set (checked), else the network's measured best, with
    bf16 replaced by fp32 on CPUs that would only emulate it."""
    backend = os.environ.get("QUOTES_INFERENCE_BACKEND")
    if backend is not None:
        if backend not in BACKENDS:
            raise ValueError(f"QUOTES_INFERENCE_BACKEND={backend!r}; known: {', '.join(BACKENDS)}")
        return backend
    if measured_best == "torch-bf16" and not native_bf16():
        return "torch"
    return measured_best


def training_bf16(requested: bool) -> bool:
    """Whether a training run should use bf16 autocast: only where the CPU has bf16 units.

    Emulated bf16 is no saving: on a CPU without AVX512-BF16 or AMX a MiniLM training step
    took twenty times as long as in fp32 (session 9's machine)."""
    if requested and not native_bf16():
        print("bf16 requested, but this CPU would only emulate it: training in fp32", flush=True)
        return False
    return requested


def optimizer_step(model, loss, optimizer, schedule) -> None:
    """Backpropagate ``loss``, clip the gradient norm at 1, step the optimiser and schedule."""
    import torch

    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    schedule.step()
    optimizer.zero_grad()


def native_bf16() -> bool:
    import torch

    return torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()


def int8_weights_need_7_bits() -> bool:
    """Whether int8 weights must keep to 7 bits here (ONNX Runtime's ``reduce_range``).

    Without VNNI, ONNX Runtime's x86 int8 kernels multiply u8 activations by s8 weights with
    AVX2 instructions whose 16-bit pair sums saturate: on such a CPU (AMD EPYC without AVX-512,
    session 12) a tiny network's int8 logits drifted 0.2 from fp32, and 0.005 with 7-bit
    weights. VNNI accumulates in 32 bits, and ARM kernels do not pair, so elsewhere all 8 bits
    are kept."""
    import platform

    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    import torch

    return not (torch.cpu._is_vnni_supported() or "avx_vnni" in _cpu_flags())


def version_suffix(backend: str) -> str:
    """What a model's version says of the backend that runs it: nothing for plain torch fp32,
    else "+<backend>", and "r7" after "+onnx-int8" where the weights keep to 7 bits (their
    scores differ from 8-bit ones, so results must not be stored under one version)."""
    if backend == "torch":
        return ""
    if backend == "onnx-int8" and int8_weights_need_7_bits():
        return "+onnx-int8r7"
    return f"+{backend}"


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    return {flag for line in text.splitlines() if line.startswith("flags")
            for flag in line.split(":", 1)[1].split()}


def cache_dir() -> Path:
    """``$QUOTES_ONNX_CACHE``, else ``cache/onnx`` under the service's var dir."""
    var_dir = Path(os.environ.get("QUOTES_VAR_DIR", PROJECT_DIR / "var"))
    return Path(os.environ.get("QUOTES_ONNX_CACHE", var_dir / "cache" / "onnx"))


def make_forward(model, backend: str, cache_name: str, output: str,
                 threads: int | None = None) -> Forward:
    """A forward function for ``model`` (a transformers module in eval mode) on ``backend``.

    ``output`` names the model output to return ("logits" or "last_hidden_state");
    ``cache_name`` identifies the weights (model version included) for the ONNX cache.
    """
    if backend == "torch":
        return _torch_forward(model, output, bf16=False)
    if backend == "torch-bf16":
        return _torch_forward(model, output, bf16=True)
    if backend == "onnx-int8":
        return _onnx_forward(export_int8(model, cache_name, output), output, threads)
    raise ValueError(f"unknown backend {backend!r}; known: {', '.join(BACKENDS)}")


def _torch_forward(model, output: str, bf16: bool) -> Forward:
    import torch

    def run(batch: dict[str, np.ndarray]) -> np.ndarray:
        inputs = {name: torch.from_numpy(batch[name]) for name in INPUTS}
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            return getattr(model(**inputs), output).float().numpy()

    return run


def export_int8(model, cache_name: str, output: str) -> Path:
    """Export ``model`` to ONNX and quantise its weights to int8 (per channel, 7 bits where
    this CPU needs it); cached."""
    safe = re.sub(r"[^A-Za-z0-9_.+-]", "_", cache_name)
    reduce_range = int8_weights_need_7_bits()
    out = cache_dir() / f"{safe}.{'int8r7' if reduce_range else 'int8'}.onnx"
    if out.exists():
        return out
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class ByName(torch.nn.Module):
        """Positional ONNX inputs -> keyword arguments, one named output (models differ in
        their positional signatures)."""

        def __init__(self):
            super().__init__()
            self.inner = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return getattr(self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                      token_type_ids=token_type_ids), output)

    out.parent.mkdir(parents=True, exist_ok=True)
    fp32 = out.with_name(f"{out.stem}.{os.getpid()}.fp32.onnx")
    partial = out.with_name(f"{out.name}.{os.getpid()}.partial")
    example = tuple(torch.ones((1, 8), dtype=torch.long) for _ in INPUTS)
    axes = {name: {0: "batch", 1: "length"} for name in (*INPUTS, output)}
    try:
        with warnings.catch_warnings():
            # The tracer warns that the branches on mask and sequence lengths become constants:
            # they are, for these inputs (the mask is always as long as the sequence).
            warnings.simplefilter("ignore")
            torch.onnx.export(ByName().eval(), example, str(fp32), input_names=list(INPUTS),
                              output_names=[output], dynamic_axes=axes, opset_version=17,
                              dynamo=False)
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8, per_channel=True,
                         reduce_range=reduce_range)
        partial.replace(out)  # atomic: a concurrent process never reads half a file
    finally:
        fp32.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    return out


def _onnx_forward(path: Path, output: str, threads: int | None) -> Forward:
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run(batch: dict[str, np.ndarray]) -> np.ndarray:
        feeds = {name: np.ascontiguousarray(batch[name], dtype=np.int64) for name in INPUTS}
        return session.run([output], feeds)[0]

    return run
