"""Dev figures of the tagger with the project metric (``models.evaluation``), for any weights.

    python -m models.attribution.evaluate [--weights DIR] [--backend torch|torch-bf16|onnx-int8] [--limit N]
    python -m models.attribution.evaluate --oracle     # grouping rules fed the gold tags
    python -m models.attribution.evaluate --with-baseline  # tagger + the rules' other quotes

``--oracle`` bounds what the grouping rules can reach: it turns the gold role pieces of each
article into tagged spans and scores the quotes that ``group_quotes`` builds from them.
``--with-baseline`` measures an ensemble: the tagger's quotes plus the rule baseline's quotes
that overlap none of them (the rules are more precise, the tagger finds more).
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from models.attribution import WEIGHTS_DIR, load_extractor
from models.pipeline import Stage


class GoldTagOracle(Stage):
    name = "gold-tags+grouping"

    def __init__(self, articles):
        self._by_text = {a.text: a for a in articles}

    def postprocess(self, docs, outputs, **context):
        from models.attribution.decoding import TaggedSpan, trim
        from models.attribution.grouping import group_quotes
        from models.attribution.train import role_pieces

        for doc in docs:
            pieces = role_pieces(self._by_text[doc.text])
            spans = [trim(TaggedSpan(role, start, end), doc.text) for role, start, end in pieces]
            doc.quotes = group_quotes(doc.text, [s for s in spans if s.end > s.start])
        return docs


class WithBaselineQuotes(Stage):
    """The tagger's quotes, plus the rule baseline's quotes whose content overlaps none."""

    name = "tagger+baseline"

    def __init__(self, tagger: Stage):
        from models.baseline import RuleQuoteExtractor

        self.tagger, self.rules = tagger, RuleQuoteExtractor()

    def postprocess(self, docs, outputs, **context):
        from models.types import Document

        ruled = self.rules([Document(text=doc.text) for doc in docs])
        for doc, other in zip(self.tagger(docs), ruled):
            doc.quotes += [q for q in other.quotes if not any(
                q.content.start < mine.content.end and mine.content.start < q.content.end
                for mine in doc.quotes)]
        return docs


def main(argv=None) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--backend", default=None, help="torch | torch-bf16 | onnx-int8")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--oracle", action="store_true")
    parser.add_argument("--with-baseline", action="store_true")
    args = parser.parse_args(argv)

    from models.data.polnear import load_split
    from models.evaluation.attribution import evaluate_stage, format_results

    articles = load_split(args.split, limit=args.limit)
    stage = GoldTagOracle(articles) if args.oracle else load_extractor(args.weights, args.backend)
    if stage is None:
        raise SystemExit(f"no weights in {args.weights}")
    if args.with_baseline:
        stage = WithBaselineQuotes(stage)
    print(format_results([evaluate_stage(stage, articles)]))


if __name__ == "__main__":
    main()
