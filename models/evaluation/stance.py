"""Stance figures on the dev sets (never used for training or tuning, beyond choosing a checkpoint).

    python -m models.evaluation.stance [--limit N] [--weights DIR]
    python -m models.evaluation --sections stance [--limit N]

* P-Stance val, the official metric: NONE rows dropped, F1avg = mean of the F1 of favor and of
  against, per target and over all rows pooled. The benchmark is binary, so the headline figure
  takes the argmax over favor/against only; the 3-way argmax (a "neutral" answer counts as a
  miss) is shown beside it.
* VAST dev: macro-F1 over favor / against / neutral, all rows, zero-shot topics (seen? = 0) and
  few-shot topics (seen? = 1) apart, plus the expected calibration error of the confidence.

``--limit N`` keeps every k-th row so that about N rows of each set remain (labels stay mixed);
through ``python -m models.evaluation --limit N`` it means the same (N rows, not N articles).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import torch

from models.stance.data import StanceExample, load_pstance, load_vast_dev
from models.types import STANCE_LABELS

FAVOR, AGAINST, NEUTRAL = (STANCE_LABELS.index(x) for x in ("favor", "against", "neutral"))


def f1_of(predicted: Sequence[int], gold: Sequence[int], label: int) -> float:
    tp = sum(p == label and g == label for p, g in zip(predicted, gold))
    fp = sum(p == label and g != label for p, g in zip(predicted, gold))
    fn = sum(p != label and g == label for p, g in zip(predicted, gold))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(predicted, gold, labels) -> float:
    return sum(f1_of(predicted, gold, label) for label in labels) / len(labels)


def expected_calibration_error(probs: torch.Tensor, gold: Sequence[int], bins: int = 10) -> float:
    confidence, predicted = probs.max(-1)
    correct = (predicted == torch.tensor(list(gold))).float()
    error = 0.0
    for b in range(bins):
        inside = (confidence > b / bins) & (confidence <= (b + 1) / bins)
        if inside.any():
            error += inside.float().mean().item() * abs(
                correct[inside].mean().item() - confidence[inside].mean().item())
    return error


def thin(examples: list[StanceExample], limit: int | None) -> list[StanceExample]:
    if not limit or limit >= len(examples):
        return examples
    step = len(examples) / limit
    return [examples[int(i * step)] for i in range(limit)]


def probabilities(model, examples: Sequence[StanceExample]) -> torch.Tensor:
    logits = model.logits([(e.text, e.target) for e in examples])
    return torch.softmax(logits / model.temperature, dim=-1)


def pstance_lines(model, limit) -> list[str]:
    examples = thin([e for e in load_pstance("val") if e.label != "neutral"], limit)
    probs = probabilities(model, examples)
    gold = [STANCE_LABELS.index(e.label) for e in examples]
    binary = [FAVOR if p[FAVOR] >= p[AGAINST] else AGAINST for p in probs.tolist()]
    three_way = probs.argmax(-1).tolist()
    lines = [f"P-Stance val (NONE dropped, {len(examples)} rows): F1avg = mean F1(favor, against)"]
    per_target = []
    for target in sorted({e.target for e in examples}):
        rows = [i for i, e in enumerate(examples) if e.target == target]
        score = macro_f1([binary[i] for i in rows], [gold[i] for i in rows], (FAVOR, AGAINST))
        per_target.append(score)
        lines.append(f"  {target:<18} {score:.3f}   (3-way argmax "
                     f"{macro_f1([three_way[i] for i in rows], [gold[i] for i in rows], (FAVOR, AGAINST)):.3f}, n {len(rows)})")
    lines.append(f"  {'all rows pooled':<18} {macro_f1(binary, gold, (FAVOR, AGAINST)):.3f}   "
                 f"(3-way argmax {macro_f1(three_way, gold, (FAVOR, AGAINST)):.3f})")
    lines.append(f"  {'mean of targets':<18} {sum(per_target) / len(per_target):.3f}")
    return lines


def vast_lines(model, limit) -> list[str]:
    examples = thin(load_vast_dev(), limit)
    probs = probabilities(model, examples)
    gold = [STANCE_LABELS.index(e.label) for e in examples]
    predicted = probs.argmax(-1).tolist()
    lines = [f"VAST dev ({len(examples)} rows): macro-F1 over favor/against/neutral"]
    for name, keep in (("all", lambda e: True), ("zero-shot topics", lambda e: e.seen == 0),
                       ("few-shot topics", lambda e: e.seen == 1)):
        rows = [i for i, e in enumerate(examples) if keep(e)]
        score = macro_f1([predicted[i] for i in rows], [gold[i] for i in rows], range(3))
        lines.append(f"  {name:<18} {score:.3f}   (n {len(rows)})")
    per_class = ", ".join(f"{label} {f1_of(predicted, gold, i):.3f}"
                          for i, label in enumerate(STANCE_LABELS))
    lines.append(f"  per class F1: {per_class}")
    lines.append(f"  expected calibration error (10 bins): {expected_calibration_error(probs, gold):.3f}")
    return lines


def load_model(weights: Path | None):
    from models.stance.model import WEIGHTS_DIR, TransformerStanceModel

    return TransformerStanceModel(weights or WEIGHTS_DIR)


def report(args) -> str:
    limit = getattr(args, "limit", None)
    model = load_model(getattr(args, "weights", None))
    header = f"stance model {model.version} (T={model.temperature:.3f})"
    return "\n".join([header, *pstance_lines(model, limit), *vast_lines(model, limit)])


def write_to_card(weights: Path | None, text: str, command: str) -> None:
    """Record the dev figures (and the command that measured them) in the model card."""
    from models.stance.model import CARD_FILE, WEIGHTS_DIR

    card_path = (weights or WEIGHTS_DIR) / CARD_FILE
    card = json.loads(card_path.read_text())
    card["dev_figures"] = {"command": command, "report": text.splitlines()}
    card_path.write_text(json.dumps(card, indent=2) + "\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Stance figures on P-Stance val and VAST dev")
    parser.add_argument("--limit", type=int, default=None, help="about N rows of each set")
    parser.add_argument("--weights", type=Path, default=None)
    parser.add_argument("--write-card", action="store_true",
                        help="store the figures in the model card of the weights")
    args = parser.parse_args(argv)
    text = report(args)
    print(text)
    if args.write_card:
        write_to_card(args.weights, text, "python -m models.evaluation.stance " +
                      " ".join(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
