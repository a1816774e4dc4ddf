"""``python -m models.speakers.train``: fit the mention ranker on PolNeAR train (silver labels).

Silver rule. For every gold attribution of a train article whose source is a pronoun or a
description (the sieve finds no name in it), the silver antecedent is the speaker of the
nearest *earlier* attribution whose source is a proper name (resolved by the sieve's name
rule), provided it is compatible with the mention: a person for "he"/"she"/"the senator", an
organisation (not a group such as "Democrats") for "it"/"they"/"the fund"; no gender clash ("she" and "Mr. Smith", or a first
name not on the female list); not the object of the mention's own cue ("he told Trump"); not
named inside the mention ("Pagliano's lawyer"); at most ``MAX_PARAGRAPHS_BACK`` paragraphs
back. Mentions with no compatible named speaker are skipped. The hand check of this rule is
``--show-silver N`` (prints N random silver pairs with their context, for reading).

Masked names. A named person source whose person was mentioned earlier in the article is also
ranked as if it were "he"/"she" (its gender guessed from the first name, its own words hidden):
its answer is exact, so these rows temper the silver rule's bias toward the last named speaker.

The scorer is a logistic regression over candidate rows (``ranker.FEATURES``). 20% of the
train articles are held out to report top-1 accuracy of each variant (silver, masked, both;
with and without the MiniLM similarity) on held-out silver and masked mentions, beside the
sieve's. Features of every mention are cached in ``var/speakers/`` (delete to recompute). The weights go
to ``models/weights/speakers/ranker.json`` with ``model_card.json``.
"""
from __future__ import annotations

import argparse
import json
import pickle
import random
import subprocess
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from models.data.polnear import Article, load_split
from models.nlp import parse_many
from models.speakers import ranker as ranking
from models.speakers.article import Cluster, ParsedArticle
from models.speakers.sieve import NAMED_RULES, _clusters_named_by_cue, _nearest, _resolve_quote

MAX_PARAGRAPHS_BACK = 4
CACHE = Path("var/speakers/train_rows.pkl")  # features of every mention (name varies by options)
CARD = ranking.WEIGHTS.parent / "model_card.json"


@dataclass
class Example:
    article_key: str
    mention: tuple[int, int]
    rows: np.ndarray  # one row of features per candidate
    silver: int  # index of the silver antecedent among the candidates
    sieve: int | None  # index of the sieve's answer, if it gave one among the candidates
    context: str  # the text around the mention, for the hand check only (stays under var/)
    kind: str = "silver"  # "silver" (pronoun/description) or "masked" (a name, exact answer)


def article_examples(article: Article, encoder=None) -> list[Example]:
    from models.evaluation.speakers import gold_document

    doc = gold_document(article)
    parsed = parse_many([doc.text])[0]
    quoted = [(f.start, f.end) for q in doc.quotes if q.type == "direct" for f in q.fragments()]
    state = ParsedArticle(doc.text, parsed, quoted)
    all_named = _named_sources(state, doc.quotes)
    examples = []
    for index, quote in enumerate(doc.quotes):  # the same order as ``resolve_speakers``
        found = _resolve_quote(state, doc.quotes, index)
        if quote.source is None:
            continue
        if found is not None and found[1] in NAMED_RULES:
            example = masked_example(state, article.key, quote, found[0], encoder)
            if example is not None:
                examples.append(example)
            state.named_sources.append((quote.source.start, found[0]))
            continue
        span = parsed.char_span(quote.source.start, quote.source.end, alignment_mode="expand")
        if span is None or not len(span) or not ranking.handles(span):
            continue
        silver = silver_antecedent(state, span, all_named)
        sieve_choice = found[0] if found is not None else None
        if silver is None:
            continue
        clusters, rows = ranking.mention_rows(state, span, sieve_choice, encoder)
        if silver not in clusters:
            continue
        examples.append(
            Example(
                article.key, (span.start_char, span.end_char), rows, clusters.index(silver),
                clusters.index(sieve_choice) if sieve_choice in clusters else None,
                _context(doc.text, span.start_char, span.end_char, silver),
            )
        )
    return examples


def masked_example(state: ParsedArticle, key: str, quote, cluster: Cluster, encoder) -> Example | None:
    """A named person source already mentioned earlier, ranked as if it were "he"/"she":
    the answer is known exactly (it is the name), so these rows are gold, not silver."""
    if cluster.kind != "person":
        return None
    span = state.parsed.char_span(quote.source.start, quote.source.end, alignment_mode="expand")
    if span is None or not len(span) or span.root.pos_ != "PROPN":  # a bare name only
        return None
    pronoun_like = _nearest(state, span.root, {"person"}, "pronoun")  # the sieve's guess
    sieve_choice = pronoun_like[0] if pronoun_like is not None else None
    clusters, rows = ranking.mention_rows(state, span, sieve_choice, encoder, masked=cluster)
    if cluster not in clusters or len(clusters) < 2:  # first mention, or nothing to choose
        return None
    return Example(
        key, (span.start_char, span.end_char), rows, clusters.index(cluster),
        clusters.index(sieve_choice) if sieve_choice in clusters else None,
        "(masked name) " + span.text, kind="masked",
    )


def _named_sources(state: ParsedArticle, quotes) -> list[tuple[int, Cluster]]:
    named = []
    for index, quote in enumerate(quotes):
        found = _resolve_quote(state, quotes, index)
        if quote.source is not None and found is not None and found[1] in NAMED_RULES:
            named.append((quote.source.start, found[0]))
    return sorted(named, key=lambda pair: pair[0])


def silver_antecedent(state: ParsedArticle, span, named: list[tuple[int, Cluster]]) -> Cluster | None:
    """The nearest earlier named speaker that the mention could refer to (see module doc)."""
    info = ranking.describe(state, span)
    excluded = _clusters_named_by_cue(state, span.root)
    for start, cluster in reversed([pair for pair in named if pair[0] < span.start_char]):
        if info.paragraph - ranking._paragraph_index(state, start) > MAX_PARAGRAPHS_BACK:
            return None
        if _compatible(state, cluster, info, excluded, span):
            return cluster
    return None


def _compatible(
    state: ParsedArticle, cluster: Cluster, info: ranking.MentionInfo, excluded: set, span
) -> bool:
    if (cluster.kind == "person") != info.wants_person:
        return False
    if cluster.kind == "group":  # "they" after "Democrats" is too often somebody else
        return False
    gender = ranking._cluster_gender(cluster)
    if info.gender is not None and gender is not None and gender != info.gender:
        return False
    named_inside = any(m.cluster is cluster for m in state.mentions_in(span.start_char, span.end_char))
    return cluster not in excluded and not named_inside


def _context(text: str, start: int, end: int, silver: Cluster) -> str:
    left = text[max(0, start - 400) : start].replace("\n", " ")
    return f"...{left}[[{text[start:end]}]]{text[end:end + 80]}...  => {silver.name}"


# ----------------------------------------------------------------------------------------------


def collect(limit: int | None, encoder: bool) -> list[Example]:
    """Every training mention of the first ``limit`` train articles, cached under var/."""
    cache = CACHE.with_name(f"train_rows_{limit or 'all'}{'_encoder' if encoder else ''}.pkl")
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from models.topics.encoder import MiniLMEncoder

    sentence_encoder = MiniLMEncoder.shared() if encoder else None
    articles = load_split("train", limit=limit)
    examples: list[Example] = []
    for i in range(0, len(articles), 16):  # parse in batches; the LRU cache holds them
        batch = articles[i : i + 16]
        parse_many([a.text for a in batch])
        for article in batch:
            examples.extend(article_examples(article, sentence_encoder))
        print(f"  {i + len(batch)}/{len(articles)} articles, {len(examples)} mentions", flush=True)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(examples))
    return examples


def split_by_article(examples: list[Example], held_out: float = 0.2, seed: int = 13):
    keys = sorted({e.article_key for e in examples})
    random.Random(seed).shuffle(keys)
    test_keys = set(keys[: int(len(keys) * held_out)])
    train = [e for e in examples if e.article_key not in test_keys]
    test = [e for e in examples if e.article_key in test_keys]
    return train, test


def fit(examples: list[Example], c: float = 1.0, encoder: bool = True) -> ranking.MentionRanker:
    from sklearn.linear_model import LogisticRegression

    rows = np.vstack([_rows(encoder, e) for e in examples])
    labels = np.concatenate([np.arange(len(e.rows)) == e.silver for e in examples])
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000).fit((rows - mean) / scale, labels)
    return ranking.MentionRanker(
        model.coef_[0], model.intercept_[0], mean, scale, uses_encoder=encoder
    )


def _rows(encoder: bool, example: Example) -> np.ndarray:
    """The example's rows; without the encoder the similarity column is 0, as at inference."""
    if encoder:
        return example.rows
    rows = example.rows.copy()
    rows[:, ranking.FEATURES.index("context_similarity")] = 0.0
    return rows


def top1(model: ranking.MentionRanker, examples: list[Example]) -> float:
    right = sum(
        int(np.argmax(model.probabilities(_rows(model.uses_encoder, e)))) == e.silver
        for e in examples
    )
    return round(right / max(len(examples), 1), 4)


def sieve_top1(examples: list[Example]) -> float:
    return round(sum(e.sieve == e.silver for e in examples) / max(len(examples), 1), 4)


# Training data of the variants compared on held-out train articles; "both" ships.
VARIANTS = {"silver": ("silver",), "masked": ("masked",), "both": ("silver", "masked")}


def compare_variants(examples: list[Example], c: float, with_encoder: bool) -> dict:
    """Held-out top-1 of every variant, with and without the encoder, beside the sieve's."""
    train, held_out = split_by_article(examples)
    by_kind = {kind: [e for e in held_out if e.kind == kind] for kind in ("silver", "masked")}
    figures = {f"held_out_{k}_mentions": len(v) for k, v in by_kind.items()}
    figures.update({f"held_out_{k}_top1_sieve": sieve_top1(v) for k, v in by_kind.items()})
    for name, kinds in VARIANTS.items():
        for encoder in (False, True) if with_encoder else (False,):
            model = fit([e for e in train if e.kind in kinds], c, encoder)
            tag = f"{name}{'+encoder' if encoder else ''}"
            for kind, subset in by_kind.items():
                figures[f"held_out_{kind}_top1_{tag}"] = top1(model, subset)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.speakers.train", description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="only the first N train articles")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    parser.add_argument("--show-silver", type=int, default=0, help="print N silver pairs")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--encoder", action="store_true",
                        help="add the MiniLM similarity feature (slow on 2 shared cores)")
    parser.add_argument("--variant", choices=VARIANTS, default="both", help="training data")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    examples = collect(args.limit, args.encoder)
    counts = {k: sum(e.kind == k for e in examples) for k in ("silver", "masked")}
    print(f"{counts} mentions from PolNeAR train ({time.perf_counter() - started:.0f} s)")
    silver = [e for e in examples if e.kind == "silver"]
    for example in random.Random(7).sample(silver, min(args.show_silver, len(silver))):
        print("-", example.article_key, example.context)
    figures = {"train_mentions": counts, **compare_variants(examples, args.c, args.encoder)}
    print(json.dumps(figures, indent=2))
    chosen = [e for e in examples if e.kind in VARIANTS[args.variant]]
    model = fit(chosen, args.c, encoder=args.encoder)
    for name, weight in sorted(zip(ranking.FEATURES, model.coef), key=lambda p: -abs(p[1])):
        print(f"  {name:<24} {weight:+.3f}")
    if not args.no_save:
        save(model, figures, args)
    return 0


def save(model: ranking.MentionRanker, figures: dict, args: argparse.Namespace) -> None:
    model.version = f"speaker-ranker-{date.today():%Y%m%d}"
    ranking.WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    ranking.WEIGHTS.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    card = {
        "version": model.version,
        "command": "python -m models.speakers.train"
        + (f" --c {args.c}" if args.c != 1.0 else "")
        + (f" --limit {args.limit}" if args.limit else "")
        + (" --encoder" if args.encoder else "")
        + (f" --variant {args.variant}" if args.variant != "both" else ""),
        "uses_encoder": model.uses_encoder,
        "data": f"PolNeAR train gold attributions ({args.variant}): pronoun/description sources "
                "with a silver antecedent (nearest earlier compatible named source) and named "
                "person sources ranked as if they were pronouns (exact answer); see train.py",
        "model": "logistic regression over candidate features (models/speakers/ranker.py)",
        "date": date.today().isoformat(),
        "git": _git_head(),
        "figures": figures,
        "dev": "run: python -m models.evaluation --sections speakers",
    }
    CARD.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    print(f"saved {ranking.WEIGHTS} and {CARD}")


def _git_head() -> str:
    try:
        return subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
