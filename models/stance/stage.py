"""The speaker's stance toward the topic of each quote.

For every quote that has a topic, the stance model reads two texts toward one target::

    target  = the topic label (plus its description when that is short)
    own     = 'Speaker said: "quote content"' (a hypothetical concession cut: stated_position)
    context = own + ' — sentence before, the quote's sentence, sentence after'

and the two probability vectors are mixed by the length of the quote: a quote of
``FULL_QUOTE_WORDS`` words or more is judged on its own words only; a fragment ("a dig at the
military") leans on its context. Why: the stated position wins (see models/stance/synthetic.py),
and the reporter's background sentences around a full quote (an earlier, different position
the story recalls) otherwise drown what the speaker says now. The context still decides for the short
indirect fragments that mean nothing alone. Quotes without a topic get no stance. One batched
model call covers all quotes of all documents.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from models.pipeline import Stage, StanceModel
from models.topics.context import quote_text, sentence_window
from models.types import STANCE_LABELS, Document, Quote, StancePrediction, Topic

SHORT_DESCRIPTION = 60  # the model was trained on short targets; long descriptions dilute them
FULL_QUOTE_WORDS = 20


def stance_target(label: str, description: str = "") -> str:
    if description and len(description) <= SHORT_DESCRIPTION:
        return f"{label} ({description.rstrip('.')})"
    return label


def speaker_name(doc: Document, quote: Quote) -> str | None:
    if quote.speaker is None:
        return None
    entity = doc.entity(quote.speaker.entity_key)
    return entity.name if entity else None


# A concession after a stated position, which only names the price of changing one's mind:
# "We won't sign it, but if the quota doubled we might", "I back the levy, unless they gut it".
_CONCESSION = re.compile(r"[,;—–]\s*(?:but\s+if|but\s+unless|unless|though\s+if)\b", re.IGNORECASE)
_HYPOTHETICAL = re.compile(r"\b(?:would|might|could)\b|\w'd\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:I|we|I'm|we're|I've|we've|I'll|we'll|my|our)\b", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
MIN_STATED_WORDS = 3


def stated_position(words: str) -> str:
    """The quote with each hypothetical concession cut from its sentence: the documented
    conditional policy (the stated position wins over the hypothetical) applied to the text,
    rather than left for the model to weigh against a second half that pulls the other way.

    Only a concession after a comma, semicolon or dash, following the speaker's own position
    (first person, three words or more: "I don't want it, but if ... I would"), and for "but
    if" only with a hypothetical consequence (would, might, could). Conditions that carry the
    position ("Prices will rise unless Congress acts", "It is complicated, but if you ask me,
    it is the best bill") and the other sentences of the quote are left as they are."""
    sentences = []
    for sentence in _SENTENCE_BREAK.split(words):
        found = _CONCESSION.search(sentence)
        if found is not None:
            stated, rest = sentence[: found.start()].rstrip(), sentence[found.end():]
            hypothetical = "unless" in found.group(0).lower() or _HYPOTHETICAL.search(rest)
            if (hypothetical and len(stated.split()) >= MIN_STATED_WORDS
                    and _FIRST_PERSON.search(stated)):
                sentence = stated + "."
        sentences.append(sentence)
    return " ".join(sentences)


def quote_words(doc: Document, quote: Quote) -> str:
    return " ".join(quote_text(doc, quote).split()).strip(" \"“”'")


def own_words(doc: Document, quote: Quote) -> str:
    """What the model reads of the quote itself: its words, without hypothetical concessions."""
    return stated_position(quote_words(doc, quote))


def stance_text(doc: Document, quote: Quote, with_context: bool = True) -> str:
    speaker = speaker_name(doc, quote)
    said = f'{speaker} said: "{own_words(doc, quote)}"' if speaker else f'"{own_words(doc, quote)}"'
    if not with_context:
        return said
    window = sentence_window(doc.text, quote.content.start, quote.content.end)
    return f"{said} — {window}" if window else said


def context_weight(doc: Document, quote: Quote) -> float:
    """How much the context counts: 1 for a one-word fragment, 0 from FULL_QUOTE_WORDS on
    (counted on the whole quote: cutting a concession does not make a quote a fragment)."""
    return max(0.0, 1.0 - len(quote_words(doc, quote).split()) / FULL_QUOTE_WORDS)


def mix(own: StancePrediction, in_context: StancePrediction | None, weight: float) -> StancePrediction:
    if in_context is None or weight == 0.0:
        return own
    scores = {label: (1 - weight) * own.scores[label] + weight * in_context.scores[label]
              for label in STANCE_LABELS}
    best = max(scores, key=scores.__getitem__)
    return StancePrediction(best, round(scores[best], 4),
                            {label: round(p, 4) for label, p in scores.items()})


class QuoteStanceStage(Stage):
    name = "stance"
    role = "stance"

    def __init__(self, model: StanceModel | None = None):
        self._model = model

    @property
    def model(self) -> StanceModel:
        if self._model is None:  # loaded once per process, on first use
            from models.stance.model import TransformerStanceModel

            self._model = TransformerStanceModel.shared()
        return self._model

    @property
    def version(self) -> str:  # type: ignore[override]
        return self.model.version

    def preprocess(self, docs: list[Document], topics: Sequence[Topic] = (), **_):
        """Pairs to predict: every quote's own words, plus its context when that counts."""
        descriptions = {t.id: t.description for t in topics}
        located, pairs, context_rows = [], [], []
        for d, doc in enumerate(docs):
            for q, quote in enumerate(doc.quotes):
                if quote.topic is None:
                    continue
                target = stance_target(quote.topic.label, descriptions.get(quote.topic.topic_id, ""))
                weight = context_weight(doc, quote)
                located.append((d, q, weight))
                pairs.append((stance_text(doc, quote, with_context=False), target))
                if weight > 0:
                    context_rows.append((len(located) - 1, (stance_text(doc, quote), target)))
        return located, pairs, context_rows

    def forward(self, inputs):
        located, pairs, context_rows = inputs
        predictions = self.model.predict(pairs + [pair for _, pair in context_rows]) if pairs else []
        in_context: list[StancePrediction | None] = [None] * len(pairs)
        for (row, _pair), prediction in zip(context_rows, predictions[len(pairs):]):
            in_context[row] = prediction
        return [(d, q, mix(own, ctx, weight))
                for (d, q, weight), own, ctx in zip(located, predictions, in_context)]

    def postprocess(self, docs: list[Document], outputs, **_) -> list[Document]:
        for doc in docs:
            for quote in doc.quotes:
                quote.stance = None  # a quote whose topic was removed loses its stance too
        for d, q, prediction in outputs:
            docs[d].quotes[q].stance = prediction
        return docs
