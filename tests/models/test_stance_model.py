"""The stance classifier: a tiny training run, and the shipped weights."""
from __future__ import annotations

import json
import re

import pytest

from models.stance.data import data_dir
from models.stance.model import CARD_FILE, WEIGHTS_DIR, WEIGHTS_FILE, TransformerStanceModel

needs_corpora = pytest.mark.skipif(
    not (data_dir() / "vast").exists(), reason="needs ../shared/data (VAST, P-Stance)"
)
needs_weights = pytest.mark.skipif(
    not (WEIGHTS_DIR / WEIGHTS_FILE).exists(), reason="stance weights not trained yet"
)


@needs_corpora
def test_a_few_training_steps_write_loadable_weights(tmp_path):
    from models.stance import train

    train.main(["--limit", "48", "--max-steps", "3", "--batch-size", "8", "--max-length", "64",
                "--out", str(tmp_path)])
    card = json.loads((tmp_path / CARD_FILE).read_text())
    assert card["progress"]["step"] == 3 and card["temperature"] > 0
    assert "word_embeddings" not in str(
        __import__("safetensors").safe_open(str(tmp_path / WEIGHTS_FILE), "pt").keys())
    model = TransformerStanceModel(tmp_path)
    [prediction] = model.predict([("We love this plan.", "the plan")])
    assert prediction.label in ("favor", "against", "neutral")
    assert abs(sum(prediction.scores.values()) - 1) < 1e-3
    assert prediction.confidence == max(prediction.scores.values())


@needs_corpora
def test_continued_training_starts_from_given_weights_and_gets_its_own_version(tmp_path):
    from models.stance import train

    first, second = tmp_path / "first", tmp_path / "second"
    common = ["--limit", "32", "--max-steps", "2", "--batch-size", "8", "--max-length", "48"]
    train.main([*common, "--out", str(first)])
    train.main([*common, "--out", str(second), "--init", str(first), "--bf16"])
    cards = [json.loads((d / CARD_FILE).read_text()) for d in (first, second)]
    assert re.fullmatch(r"stance-minilm-\d{8}-[0-9a-f]{8}", cards[0]["version"])
    assert cards[0]["version"] != cards[1]["version"]
    assert cards[1]["initialised_from"]["path"] == str(first)
    assert cards[1]["initialised_from"]["version"] == cards[0]["version"]
    assert TransformerStanceModel(second, backend="torch").predict([("Yes!", "it")])


@needs_weights
def test_shipped_weights_read_trump_on_tpp_as_against():
    model = TransformerStanceModel.shared()
    [prediction] = model.predict(
        [("I don't like the deal and I will never go back into TPP",
          "the Trans-Pacific Partnership")])
    assert prediction.label == "against"
    card = json.loads((WEIGHTS_DIR / CARD_FILE).read_text())
    # the served version names the weights and, unless plain torch, the inference backend
    assert model.version.split("+")[0] == card["version"] and card["command"].startswith("python -m")


@needs_weights
def test_shipped_weights_batch_in_input_order():
    model = TransformerStanceModel.shared()
    pairs = [("I don't like the deal and I will never go back into TPP",
              "the Trans-Pacific Partnership"),
             ("We strongly support the new health law; it is a great success for families.",
              "the Affordable Care Act")] * 3
    labels = [p.label for p in model.predict(pairs)]
    assert labels[0::2] == [labels[0]] * 3 and labels[1::2] == [labels[1]] * 3
    assert labels[1] == "favor"
