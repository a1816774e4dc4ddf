"""Attribution section of ``make eval``: source / cue / content F1 on PolNeAR.

``evaluate_stage`` scores *any* ``Stage`` that fills ``Document.quotes``, so the transformer
extractor of ``models/attribution`` is scored by the same code as the rule baseline. The
transformer is picked up through ``models.attribution.load_extractor() -> Stage | None``
(``None`` while its weights are absent); until that function exists the section says so.
Metric definitions: ``models/evaluation/metrics.py``.
"""
from __future__ import annotations

import argparse
import importlib
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from models.baseline.quotemarks import double_apostrophes_as_marks
from models.data.polnear import Article, GoldSpan, load_split
from models.evaluation.metrics import ROLES, ArticleSpans, AttributionScores, Pieces, normalize
from models.pipeline import Stage
from models.types import Document, Quote, Span

# CofeNet (BERT-base, COLING 2022), exact-match F1 on the PolNeAR *test* split.
COFENET_TEST = {"source": 0.832, "cue": 0.753, "content": 0.729}
BATCH_SIZE = 8


@dataclass
class StageResult:
    label: str
    scores: AttributionScores
    seconds: float
    recall_by_type: dict[str, tuple[int, int]]  # gold type -> (found exactly, total)


def gold_spans(article: Article) -> ArticleSpans:
    spans = ArticleSpans(article.text)
    for attribution in article.attributions:
        for role in ROLES:
            gold: GoldSpan | None = getattr(attribution, role)
            if gold is not None:
                getattr(spans, role).append(gold.pieces)
    return spans


def predicted_spans(text: str, quotes: Sequence[Quote]) -> ArticleSpans:
    spans = ArticleSpans(text)
    for quote in quotes:
        spans.content.append(tuple((f.start, f.end) for f in quote.fragments()))
        if quote.cue is not None:
            spans.cue.append(_pieces(quote.cue))
        if quote.source is not None:
            spans.source.append(_pieces(quote.source))
    return spans


def evaluate_stage(stage: Stage, articles: Sequence[Article], label: str = "") -> StageResult:
    """Run ``stage`` over the articles (batched) and score the quotes it finds."""
    started = time.perf_counter()
    documents: list[Document] = []
    for i in range(0, len(articles), BATCH_SIZE):
        batch = [Document(text=a.text) for a in articles[i : i + BATCH_SIZE]]
        documents.extend(stage(batch))
    seconds = time.perf_counter() - started
    scores = AttributionScores()
    found, total = Counter(), Counter()
    for article, doc in zip(articles, documents):
        predicted, gold = predicted_spans(article.text, doc.quotes), gold_spans(article)
        scores.add(predicted, gold)
        _count_recall_by_type(article, predicted, found, total)
    by_type = {t: (found[t], total[t]) for t in ("direct", "mixed", "indirect")}
    return StageResult(label or stage.tag, scores, seconds, by_type)


def gold_type(text: str, pieces: Pieces) -> str:
    """PolNeAR's own split (FORMAT.md): fully quoted = direct, any quotation mark = mixed."""
    text = double_apostrophes_as_marks(text)
    content = " ".join(text[s:e] for s, e in pieces).strip(" \t\n,;:.!?—–-")
    if content[:1] in "“\"" and content[-1:] in "”\"":
        return "direct"
    return "mixed" if any(mark in content for mark in "“”\"") else "indirect"


def format_results(results: Sequence[StageResult]) -> str:
    lines = [
        f"{'pipeline':<34}{'source':>8}{'cue':>8}{'content':>9}{'overlap':>9}"
        f"{'P/R content':>14}{'seconds':>9}",
    ]
    for r in results:
        exact = r.scores.exact
        content = exact["content"]
        lines.append(
            f"{r.label:<34}{exact['source'].f1:>8.3f}{exact['cue'].f1:>8.3f}"
            f"{content.f1:>9.3f}{r.scores.content_overlap.f1:>9.3f}"
            f"{content.precision:>7.3f}/{content.recall:<6.3f}{r.seconds:>9.1f}"
        )
    lines.append(
        f"{'CofeNet, BERT-base (PolNeAR test)':<34}{COFENET_TEST['source']:>8.3f}"
        f"{COFENET_TEST['cue']:>8.3f}{COFENET_TEST['content']:>9.3f}{'-':>9}"
    )
    for r in results:
        recall = ", ".join(f"{t} {f}/{n} ({f / n:.2f})" for t, (f, n) in r.recall_by_type.items() if n)
        detail = "; ".join(
            f"{role} P {r.scores.exact[role].precision:.3f} R {r.scores.exact[role].recall:.3f}"
            for role in ("source", "cue")
        )
        lines.append(f"  {r.label}: {detail}; content exact recall by gold type: {recall}")
    return "\n".join(lines)


def report(args: argparse.Namespace) -> str:
    articles = load_split(args.split, limit=args.limit)
    header = (
        f"PolNeAR {args.split}: {len(articles)} articles, "
        f"{sum(len(a.attributions) for a in articles)} gold attributions "
        "(exact-match F1 after trimming; micro over articles; overlap = content token F1)"
    )
    from models.baseline import RuleQuoteExtractor

    results = [evaluate_stage(RuleQuoteExtractor(), articles, "rule baseline")]
    notes = []
    transformer, note = _transformer_extractor()
    if transformer is not None:
        results.append(evaluate_stage(transformer, articles, f"transformer {transformer.tag}"))
    else:
        notes.append(note)
    return "\n".join([header, format_results(results), *notes])


def _transformer_extractor() -> tuple[Stage | None, str]:
    try:
        module = importlib.import_module("models.attribution")
    except ModuleNotFoundError as error:
        if error.name not in ("models.attribution",):
            raise
        return None, "transformer extractor: models/attribution not present, skipped"
    load = getattr(module, "load_extractor", None)
    if load is None:
        return None, "transformer extractor: models.attribution.load_extractor() missing, skipped"
    stage = load()
    if stage is None:
        return None, "transformer extractor: no trained weights yet, skipped"
    return stage, ""


def _pieces(span: Span) -> Pieces:
    return ((span.start, span.end),)


def _count_recall_by_type(
    article: Article, predicted: ArticleSpans, found: Counter, total: Counter
) -> None:
    predicted_contents = {normalize(article.text, p) for p in predicted.content}
    for attribution in article.attributions:
        if attribution.content is None:
            continue
        kind = gold_type(article.text, attribution.content.pieces)
        total[kind] += 1
        found[kind] += normalize(article.text, attribution.content.pieces) in predicted_contents
