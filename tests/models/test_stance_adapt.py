"""Masked-LM adaptation of the stance encoder: masking, a tiny run, and fine-tuning from it."""
from __future__ import annotations

import json

import pytest
import torch

from models.stance import adapt
from models.stance.model import CARD_FILE, build_classifier, load_tokenizer
from tests.models.test_stance_model import assert_corpora_present


def test_masking_chooses_only_real_wordpieces_at_the_bert_rate():
    tokenizer = load_tokenizer()
    body = tokenizer("the committee will vote on the bill next week", add_special_tokens=False)
    rows = [[tokenizer.cls_token_id, *body["input_ids"] * k, tokenizer.sep_token_id]
            for k in range(1, 40)]
    batch = adapt.mask_batch(rows, tokenizer, torch.Generator().manual_seed(0))
    chosen = batch["labels"] != -100
    ids = torch.full_like(batch["labels"], tokenizer.pad_token_id)
    for row, row_ids in enumerate(rows):
        ids[row, : len(row_ids)] = torch.tensor(row_ids)
    specials = (ids == tokenizer.cls_token_id) | (ids == tokenizer.sep_token_id)
    assert not (chosen & specials).any()
    assert not (chosen & (batch["attention_mask"] == 0)).any()
    assert (batch["labels"][chosen] == ids[chosen]).all()  # the label is the original wordpiece
    rate = chosen.sum().item() / (batch["attention_mask"].sum().item() - 2 * len(rows))
    assert 0.12 < rate < 0.18
    replaced = batch["input_ids"][chosen] == tokenizer.mask_token_id
    assert 0.7 < replaced.float().mean().item() < 0.9
    # nothing outside the chosen positions is changed
    assert (batch["input_ids"][~chosen] == ids[~chosen]).all()


def test_adapted_encoder_is_adopted_whole_by_the_classifier(tmp_path):
    assert_corpora_present()
    adapt.main(["--limit", "24", "--max-steps", "3", "--head-steps", "1", "--batch-size", "8",
                "--out", str(tmp_path / "adapted")])
    encoder = adapt.load_encoder(tmp_path / "adapted")
    assert encoder and all(name.startswith(adapt.ENCODER_PREFIX) for name in encoder)
    from models.stance import train

    base = build_classifier()
    changed = [name for name, tensor in encoder.items()
               if not torch.equal(tensor, base.state_dict()[name])]
    assert changed, "two encoder steps changed nothing"
    train.adopt_encoder(base, encoder)
    assert all(torch.equal(base.state_dict()[name], tensor) for name, tensor in encoder.items())

    with pytest.raises(ValueError, match="does not fit"):
        train.adopt_encoder(build_classifier(), dict(list(encoder.items())[1:]))

    train.main(["--limit", "16", "--max-steps", "1", "--batch-size", "8", "--max-length", "32",
                "--encoder", str(tmp_path / "adapted"), "--out", str(tmp_path / "stance")])
    card = json.loads((tmp_path / "stance" / CARD_FILE).read_text())
    adaptation = card["initialised_from"]["adaptation"]
    assert adaptation["command"].startswith("python -m models.stance.adapt")
    assert adaptation["steps"] == 3
