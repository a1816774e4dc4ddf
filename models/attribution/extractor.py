"""``TransformerQuoteExtractor``: the MiniLM BIO tagger as a pipeline ``Stage``.

preprocess: tokenise each article and compute the quotation-mark feature;
forward: windowed, batched tagging of all articles at once (any ``models.runtime`` backend);
postprocess: BIO-valid Viterbi decoding, then grouping of the tagged spans into ``Quote``s.
Speakers are left to the speaker-resolution stage, which reads ``Quote.source``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from models.attribution.decoding import tags_to_spans, viterbi
from models.attribution.encoding import WINDOW, encode
from models.attribution.grouping import VERSION as GROUPING_VERSION, group_quotes
from models.attribution.inference import log_probs_per_article
from models.attribution.modeling import WEIGHTS_DIR, cached_model
from models.pipeline import Stage
from models.runtime import choose_backend, make_forward, version_suffix
from models.types import Document

MEASURED_BEST = "torch-bf16"  # see models/runtime.py


class TransformerQuoteExtractor(Stage):
    name = "attribution-tagger"

    def __init__(self, weights_dir: Path | str = WEIGHTS_DIR, backend: str | None = None,
                 batch_size: int = 16, threads: int | None = None):
        self.tokenizer, model, card = cached_model(str(weights_dir))
        backend = backend or choose_backend(MEASURED_BEST)
        # decoding bias tuned on dev to undo the training class weights (models.attribution.tune)
        decoding = card.get("decoding", {})
        self.label_bias = np.asarray(decoding.get("label_bias", 0.0))
        # what turns the weights' scores into quotes is part of the version too: the same
        # weights with another bias or other grouping rules give other quotes
        self.version = "".join((
            card["version"],
            f".decode-{decoding['id']}" if "id" in decoding else "",
            f".grouping{GROUPING_VERSION}",
            version_suffix(backend),
        ))
        self.batch_size = batch_size
        self.window = card.get("window", WINDOW)  # the window it was trained with
        self._forward = make_forward(model, backend, f"attribution-{card['version']}", "logits",
                                     threads)

    def preprocess(self, docs: list[Document], **context: Any):
        return [encode(self.tokenizer, doc.text) for doc in docs]

    def forward(self, inputs):
        scores = log_probs_per_article(inputs, self._forward, self.tokenizer.cls_token_id,
                                       self.tokenizer.sep_token_id, self.batch_size, self.window)
        return list(zip(inputs, scores))

    def postprocess(self, docs: list[Document], outputs, **context: Any) -> list[Document]:
        for doc, (encoded, scores) in zip(docs, outputs):
            spans = tags_to_spans(viterbi(scores + self.label_bias), encoded.offsets, doc.text)
            doc.quotes = group_quotes(doc.text, spans)
        return docs
