"""The stance classifier: a tiny training run, and the shipped weights."""
from __future__ import annotations

import json
import re

import pytest

from models.stance.data import data_dir
from models.stance.model import CARD_FILE, WEIGHTS_DIR, WEIGHTS_FILE, TransformerStanceModel

# Our own wording, on a topic that is neither in ../shared/examples nor among the targets of the
# synthetic training quotes (models/stance/synthetic.py): a stated refusal with a hypothetical,
# which the conditional policy of the model card reads as against.
CONDITIONAL_REFUSAL = ("We will not support the airport expansion; if the night flights were "
                       "scrapped I might reconsider, but today the answer is no.",
                       "the airport expansion")


def assert_corpora_present():
    vast = data_dir() / "vast"
    assert vast.is_dir(), f"stance corpora missing: {vast} (../shared/data is always there)"


def assert_weights_present():
    weights = WEIGHTS_DIR / WEIGHTS_FILE
    assert weights.is_file(), f"the shipped stance weights are missing: {weights}"


def test_a_few_training_steps_write_loadable_weights(tmp_path):
    assert_corpora_present()
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


def test_inference_reads_texts_as_training_did(tmp_path):
    """A model trained on texts cut at 24 tokens, hashtags split, reads them so."""
    assert_corpora_present()
    from models.stance import train

    train.main(["--limit", "16", "--max-steps", "1", "--batch-size", "8", "--max-length", "24",
                "--split-hashtags", "--out", str(tmp_path)])
    card = json.loads((tmp_path / CARD_FILE).read_text())
    assert card["max_length"] == 24 and card["hashtags"] == "split"
    model = TransformerStanceModel(tmp_path, backend="torch")
    assert model.max_length == 24
    # hashtags are read as the words training read
    tagged, spelled = model.logits([("#FeelTheBern", "the plan"), ("Feel The Bern", "the plan")])
    assert (tagged - spelled).abs().max() < 1e-5
    # two texts that differ only after their first 24 tokens (a default cut would read both)
    opening = "We back the plan because it helps every family on our street and every shop " * 2
    one, other = opening + "so we vote yes.", opening + "but we still have many questions."
    first, second = model.logits([(one, "the plan"), (other, "the plan")])
    assert (first - second).abs().max() < 1e-5


def test_continued_training_starts_from_given_weights_and_gets_its_own_version(tmp_path):
    assert_corpora_present()
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
    [prediction] = TransformerStanceModel(second, backend="torch").predict([("Yes!", "it")])
    assert prediction.label in ("favor", "against", "neutral")
    assert set(prediction.scores) == {"favor", "against", "neutral"}
    assert abs(sum(prediction.scores.values()) - 1) < 1e-3


def test_shipped_weights_read_a_conditional_refusal_as_against():
    assert_weights_present()
    model = TransformerStanceModel.shared()
    [prediction] = model.predict([CONDITIONAL_REFUSAL])
    assert prediction.label == "against"
    card = json.loads((WEIGHTS_DIR / CARD_FILE).read_text())
    # the served version names the weights and, unless plain torch, the inference backend
    assert model.version.split("+")[0] == card["version"] and card["command"].startswith("python -m")


def test_shipped_weights_batch_in_input_order():
    assert_weights_present()
    model = TransformerStanceModel.shared()
    pairs = [CONDITIONAL_REFUSAL,
             ("We strongly support the new health law; it is a great success for families.",
              "the Affordable Care Act")] * 3
    labels = [p.label for p in model.predict(pairs)]
    assert labels[0::2] == [labels[0]] * 3 and labels[1::2] == [labels[1]] * 3
    assert labels[1] == "favor"


def test_a_mean_pooled_head_is_kept_by_continuations_and_ignores_padding(tmp_path):
    assert_corpora_present()
    from models.stance import train

    first, second = tmp_path / "first", tmp_path / "second"
    common = ["--limit", "16", "--max-steps", "1", "--batch-size", "8", "--max-length", "48"]
    train.main([*common, "--pooling", "mean", "--out", str(first)])
    train.main([*common, "--init", str(first), "--out", str(second)])  # no --pooling given
    cards = [json.loads((d / CARD_FILE).read_text()) for d in (first, second)]
    assert [card["pooling"] for card in cards] == ["mean", "mean"]
    model = TransformerStanceModel(second, backend="torch")
    assert not any(name.startswith("bert.pooler") for name in model.model.state_dict())
    # the mean runs over real tokens only: a short text scores alike alone and padded
    short = ("We back the plan.", "the plan")
    longer = ("We back the plan, and we will say so at every meeting this winter.", "the plan")
    [alone] = model.logits([short])
    padded, _ = model.logits([short, longer])
    assert (alone - padded).abs().max() < 1e-4


def test_an_unknown_pooling_is_refused():
    from models.stance.model import build_classifier

    with pytest.raises(ValueError, match="unknown pooling"):
        build_classifier("max")


def test_a_continuation_refuses_another_head_than_its_weights_have():
    from models.stance.train import continued_pooling

    assert continued_pooling(None, {"pooling": "mean"}) == "mean"
    assert continued_pooling(None, {}) == "cls"  # cards before the option
    assert continued_pooling("mean", {"pooling": "mean"}) == "mean"
    with pytest.raises(SystemExit, match="cls head"):
        continued_pooling("mean", {})


def test_a_weight_average_is_written_beside_the_model(tmp_path):
    assert_corpora_present()
    from models.stance import train

    out = tmp_path / "run"
    train.main(["--limit", "32", "--max-steps", "3", "--batch-size", "8", "--max-length", "48",
                "--ema", "0.5", "--out", str(out)])
    plain, averaged = (json.loads((d / CARD_FILE).read_text()) for d in (out, tmp_path / "run-ema"))
    assert averaged["progress"]["ema"] == 0.5 and "ema" not in plain["progress"]
    assert averaged["version"] != plain["version"]  # other weights, so another digest
    [prediction] = TransformerStanceModel(tmp_path / "run-ema", backend="torch").predict(
        [("Yes!", "it")])
    assert prediction.label in ("favor", "against", "neutral")


def test_the_weight_average_moves_toward_the_weights_by_one_minus_decay():
    import torch

    from models.stance.train import WeightAverage

    model = torch.nn.Linear(2, 1, bias=False)
    torch.nn.init.zeros_(model.weight)
    average = WeightAverage(model, decay=0.75)
    with torch.no_grad():
        model.weight.fill_(4.0)
    average.update(model)
    average.copy_to(model)
    assert model.weight.tolist() == [[1.0, 1.0]]


def test_a_decay_outside_zero_to_one_is_refused(capsys):
    from models.stance import train

    with pytest.raises(SystemExit):
        train.parse_args(["--ema", "1.5"])
    assert "a decay is in [0, 1)" in capsys.readouterr().err
