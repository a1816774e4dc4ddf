"""Small, fast, deterministic stand-ins for the shipped models, for unit tests of the service.

They follow the same Stage interface as the real pipeline but use regular expressions on
hand-written test sentences; the real models are exercised in tests/integration.
"""
from __future__ import annotations

import re

from models.pipeline import Pipeline, Stage, StanceModel
from models.types import (
    Entity,
    Quote,
    SpeakerAssignment,
    Span,
    StancePrediction,
    TopicAssignment,
)

# "…," Name Name said.   or   Name Name said: "…"
_AFTER = re.compile(r'"(?P<content>[^"]+?),?" (?P<source>[A-Z]\w+(?: [A-Z]\w+)*) (?P<cue>said|told \w+)')
_BEFORE = re.compile(r'(?P<source>[A-Z]\w+(?: [A-Z]\w+)*) (?P<cue>said|tweeted):? "(?P<content>[^"]+)"')


class FakeQuoteFinder(Stage):
    name, version, role = "fake-quotes", "1", "quotes"

    def postprocess(self, docs, outputs, **context):
        for doc in docs:
            for pattern in (_AFTER, _BEFORE):
                for m in pattern.finditer(doc.text):
                    doc.quotes.append(Quote(
                        type="direct",
                        content=Span.of(doc.text, *m.span("content")),
                        cue=Span.of(doc.text, *m.span("cue")),
                        source=Span.of(doc.text, *m.span("source")),
                    ))
            doc.quotes.sort(key=lambda q: q.content.start)
        return docs


class FakeSpeakers(Stage):
    """One entity per surname; the longest form seen is the name."""

    name, version, role = "fake-speakers", "1", "speakers"

    def postprocess(self, docs, outputs, **context):
        for doc in docs:
            by_surname: dict[str, list[str]] = {}
            for quote in doc.quotes:
                if quote.source:
                    by_surname.setdefault(quote.source.text.split()[-1], []).append(quote.source.text)
            for i, (surname, forms) in enumerate(sorted(by_surname.items())):
                name = max(forms, key=len)
                doc.entities.append(Entity(f"e{i}", name, "person", tuple(sorted(set(forms) - {name}))))
            keys = {e.name.split()[-1]: e.key for e in doc.entities}
            for quote in doc.quotes:
                if quote.source:
                    quote.speaker = SpeakerAssignment(keys[quote.source.text.split()[-1]], 0.9)
        return docs


class FakeTopics(Stage):
    name, version, role = "fake-topics", "1", "topics"

    def postprocess(self, docs, outputs, topics=(), **context):
        for doc in docs:
            for quote in doc.quotes:
                quote.topic = None
                text = quote.content.text.lower()
                for topic in topics:
                    if any(k.lower() in text for k in topic.keywords):
                        quote.topic = TopicAssignment(topic.id, topic.label, 0.8)
                        break
        return docs


class FakeStanceModel(StanceModel):
    version = "fake-stance-1"

    def predict(self, pairs):
        out = []
        for text, _target in pairs:
            lowered = text.lower()
            if re.search(r"\b(don't|do not|never|hate|against)\b", lowered):
                label = "against"
            elif re.search(r"\b(like|love|support|great)\b", lowered):
                label = "favor"
            else:
                label = "neutral"
            scores = {k: (0.8 if k == label else 0.1) for k in ("favor", "against", "neutral")}
            out.append(StancePrediction(label, 0.8, scores))
        return out


class FakeStance(Stage):
    name, version, role = "fake-stance", "1", "stance"

    def __init__(self, model: StanceModel):
        self.model = model

    def postprocess(self, docs, outputs, **context):
        quotes = [q for d in docs for q in d.quotes if q.topic]
        predictions = self.model.predict([(q.content.text, q.topic.label) for q in quotes])
        for quote in (q for d in docs for q in d.quotes):
            quote.stance = None
        for quote, prediction in zip(quotes, predictions):
            quote.stance = prediction
        return docs


def fake_pipeline() -> Pipeline:
    """Fake extraction, speakers, topics and stance; the temporal tagger is real (rules, fast)."""
    from models.temporal import TemporalTagger

    model = FakeStanceModel()
    return Pipeline(
        [FakeQuoteFinder(), FakeSpeakers(), TemporalTagger(), FakeTopics(), FakeStance(model)],
        model,
    )
