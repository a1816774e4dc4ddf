"""The pipeline the browser tests serve: tests/fakes.py, taught curly quotes and split quotes.

The page is what these tests check, not the models, so the pipeline only has to be fast and
predictable. It extends the fakes with what the page must render and the plain fakes never
produce: discontinuous contents (“I like it,” Name said, “and I want it.”), curly quotation
marks and apostrophes (the example articles use them), and a cue or two more. The examples
test uses the shipped models instead (`examples_pipeline`).
"""
from __future__ import annotations

import re

from models.pipeline import Pipeline, Stage
from models.types import Quote, Span
from tests.fakes import FakeQuoteFinder, FakeStance, FakeStanceModel, fake_pipeline

OPEN, CLOSE, NOT_MARK = '["“]', '["”]', '[^"“”]'
NAME = r"[A-Z]\w+(?: [A-Z]\w+)*"
CUE = r"said|added|tweeted|told \w+"

# “First,” Name said, “second.”  -> one quote with two content fragments
SPLIT = re.compile(rf"{OPEN}(?P<first>{NOT_MARK}+?),{CLOSE} (?P<source>{NAME}) (?P<cue>{CUE}), "
                   rf"{OPEN}(?P<second>{NOT_MARK}+?){CLOSE}")
# “Content,” Name said
AFTER = re.compile(rf"{OPEN}(?P<content>{NOT_MARK}+?),?{CLOSE} (?P<source>{NAME}) (?P<cue>{CUE})")
# Name said: “Content”
BEFORE = re.compile(rf"(?P<source>{NAME}) (?P<cue>{CUE}):? {OPEN}(?P<content>{NOT_MARK}+){CLOSE}")


class QuoteMarksFinder(Stage):
    name, version, role = "browser-test-quotes", "1", "quotes"

    def postprocess(self, docs, outputs, **context):
        for doc in docs:
            taken: list[tuple[int, int]] = []
            for quote in self.find(doc.text):
                span = (quote.content.start, quote.content.end)
                if not any(s < span[1] and span[0] < e for s, e in taken):
                    taken.append(span)
                    doc.quotes.append(quote)
            doc.quotes.sort(key=lambda q: q.content.start)
        return docs

    @staticmethod
    def find(text: str):
        """Split quotes first, so that their halves are not also taken as two quotes."""
        for m in SPLIT.finditer(text):
            first, second = Span.of(text, *m.span("first")), Span.of(text, *m.span("second"))
            yield Quote("direct", Span.of(text, first.start, second.end), (first, second),
                        cue=Span.of(text, *m.span("cue")), source=Span.of(text, *m.span("source")))
        for pattern in (AFTER, BEFORE):
            for m in pattern.finditer(text):
                yield Quote("direct", Span.of(text, *m.span("content")),
                            cue=Span.of(text, *m.span("cue")), source=Span.of(text, *m.span("source")))


class ApostropheStanceModel(FakeStanceModel):
    """The fake stance rules, reading “don’t” as "don't"."""

    def predict(self, pairs):
        return super().predict([(text.replace("’", "'"), target) for text, target in pairs])


def browser_pipeline() -> Pipeline:
    """fake_pipeline() with this finder and stance model in place of its own, so that the
    browser tests keep the other stages the service tests use."""
    model = ApostropheStanceModel()
    replacements = {FakeQuoteFinder: QuoteMarksFinder(), FakeStance: FakeStance(model)}
    stages = [replacements.get(type(stage), stage) for stage in fake_pipeline().stages]
    return Pipeline(stages, model)


def examples_pipeline() -> Pipeline:
    """The shipped models (their weights are committed in models/weights/): no fallback, so that
    a pipeline that fails to build fails the examples test instead of hiding behind the fakes."""
    from models.factory import build_pipeline

    return build_pipeline("full")
