"""QuoteStanceStage with a fake stance model; synthetic data and calibration helpers."""
from __future__ import annotations

from collections import Counter

import pytest
import torch

from models.pipeline import StanceModel
from models.stance.stage import (
    QuoteStanceStage,
    context_weight,
    mix,
    stance_target,
    stance_text,
    stated_position,
)
from models.stance.synthetic import synthetic_examples
from models.stance.train import fit_temperature
from models.types import (
    Document,
    Entity,
    Quote,
    SpeakerAssignment,
    Span,
    StancePrediction,
    Topic,
    TopicAssignment,
)


class RecordingStanceModel(StanceModel):
    version = "fake-1"

    def __init__(self):
        self.calls: list[list[tuple[str, str]]] = []

    def predict(self, pairs):
        self.calls.append(list(pairs))
        return [StancePrediction("against", 0.9, {"favor": 0.05, "against": 0.9, "neutral": 0.05})
                for _ in pairs]


TEXT = ('The ministers met in Oslo on Tuesday. "I won\'t sign that treaty," Lund said of the '
        'accord. She added that the talks would go on.\n\n"The weather was fine," an aide said.')
OWN = "I won't sign that treaty"


def make_doc() -> Document:
    deal = TEXT.index(OWN)
    weather = TEXT.index("The weather was fine")
    return Document(
        text=TEXT,
        entities=[Entity("e1", "Ana Lund", aliases=("Lund",))],
        quotes=[
            Quote("direct", Span.of(TEXT, deal, deal + len(OWN)),
                  speaker=SpeakerAssignment("e1", 0.9),
                  topic=TopicAssignment("fish", "the fishing treaty", 0.8)),
            Quote("direct", Span.of(TEXT, weather, weather + 20)),
        ],
    )


def test_stance_only_for_quotes_with_a_topic_in_one_batched_call():
    model = RecordingStanceModel()
    docs = QuoteStanceStage(model)([make_doc(), make_doc()],
                                   topics=(Topic("fish", "the fishing treaty"),))
    assert len(model.calls) == 1 and len(model.calls[0]) == 4  # own words + context, x2 docs
    for doc in docs:
        assert doc.quotes[0].stance.label == "against"
        assert doc.quotes[1].stance is None


def test_the_model_reads_speaker_quote_and_neighbours_toward_the_topic_label():
    model = RecordingStanceModel()
    QuoteStanceStage(model)([make_doc()], topics=())
    (own, target), (in_context, _) = model.calls[0]
    assert target == "the fishing treaty"
    assert own == 'Ana Lund said: "I won\'t sign that treaty"'
    assert in_context.startswith(own)
    assert "The ministers met in Oslo on Tuesday." in in_context and "would go on" in in_context


def test_a_long_quote_is_judged_on_its_own_words_a_fragment_leans_on_context():
    own = StancePrediction("against", 0.8, {"favor": 0.1, "against": 0.8, "neutral": 0.1})
    ctx = StancePrediction("favor", 0.9, {"favor": 0.9, "against": 0.05, "neutral": 0.05})
    assert mix(own, ctx, 0.0) == own
    assert mix(own, ctx, 0.75).label == "favor"
    assert abs(sum(mix(own, ctx, 0.5).scores.values()) - 1) < 1e-3
    text = '"' + "word " * 25 + '" he said. "Short bit" too.'
    doc = Document(text=text, quotes=[Quote("direct", Span.of(text, 1, 126)),
                                      Quote("direct", Span.of(text, text.index("Short"),
                                                              text.index("Short") + 9))])
    assert context_weight(doc, doc.quotes[0]) == 0.0
    assert context_weight(doc, doc.quotes[1]) == 0.9


def test_text_without_a_speaker_and_short_descriptions_in_the_target():
    doc = make_doc()
    assert stance_text(doc, doc.quotes[1], with_context=False) == '"The weather was fine"'
    assert stance_target("NAFTA", "Trade with Mexico and Canada.") == \
        "NAFTA (Trade with Mexico and Canada)"
    assert stance_target("NAFTA", "x" * 200) == "NAFTA"


def test_stage_version_is_the_model_version():
    assert QuoteStanceStage(RecordingStanceModel()).tag == "stance@fake-1"


def test_synthetic_examples_are_balanced_and_follow_the_conditional_policy():
    examples = synthetic_examples()
    assert Counter(e.label for e in examples) == {"favor": 120, "against": 120, "neutral": 120}
    conditional = [e for e in examples if "a far better offer might change my mind" in e.text]
    assert len(conditional) == 12 and all(e.label == "against" for e in conditional)
    hedged_support = [e for e in examples if "unless they gut it" in e.text]
    assert len(hedged_support) == 12 and all(e.label == "favor" for e in hedged_support)


def test_synthetic_examples_leave_the_example_stories_out():
    """The example stories measure the model; nothing of theirs may be taught to it."""
    texts = " ".join(f"{e.target} {e.text}" for e in synthetic_examples()).lower()
    for word in ("trans-pacific", "tpp", "abduct", "japan", "north korea", "steel", "trump", "abe "):
        assert word not in texts


def test_temperature_scaling_softens_overconfident_logits():
    torch.manual_seed(0)
    labels = torch.randint(0, 3, (300,))
    logits = torch.randn(300, 3)
    logits[torch.arange(300), labels] += 1.0  # right 2/3 of the time ...
    assert fit_temperature(logits * 8, labels) > 2.0  # ... but shouted 8x too loud


@pytest.mark.parametrize("words, stated", [
    ("We are not joining the rail pact, but if they paid for the tunnel we would think again.",
     "We are not joining the rail pact."),
    ("I back the levy, unless they double it.", "I back the levy."),
    ("We oppose the plan; though if the mayor asks, we might listen. It is a bad plan.",
     "We oppose the plan. It is a bad plan."),  # the other sentences stay
    # conditions that carry the position, or no stated position of the speaker: left whole
    ("If they cut the fares, we will support it.", "If they cut the fares, we will support it."),
    ("Nothing gets done unless we act. I support the levy.",
     "Nothing gets done unless we act. I support the levy."),
    ("Fares will rise, unless the council passes the levy.",
     "Fares will rise, unless the council passes the levy."),
    ("It is complicated, but if you ask me, the levy is the best bill we have seen.",
     "It is complicated, but if you ask me, the levy is the best bill we have seen."),
    ("We like it, but if it passes we will comply.", "We like it, but if it passes we will comply."),
])
def test_the_stance_is_read_from_the_stated_position_not_the_hypothetical(words, stated):
    assert stated_position(words) == stated


def test_the_model_is_asked_about_the_stated_position_only():
    text = ('The minister spoke on Friday. "We will not sign the fishing treaty, but if they '
            'doubled the quota I would do it," Ms. Lund said.')
    start = text.index("We will not")
    doc = Document(text=text, quotes=[Quote("direct", Span.of(text, start, text.index(',"')),
                                            topic=TopicAssignment("fish", "the fishing treaty", 0.9))])
    model = RecordingStanceModel()
    QuoteStanceStage(model)([doc], topics=())
    own, _target = model.calls[0][0]
    assert own == '"We will not sign the fishing treaty."'


def test_a_cut_concession_does_not_make_a_long_quote_a_fragment():
    words = ("We back the carbon levy, unless it is gutted in the Senate by people who do not "
             "care about the climate at all and never have")
    text = f'"{words}," Ms. Lund said.'
    doc = Document(text=text, quotes=[Quote("direct", Span.of(text, 1, 1 + len(words)))])
    assert context_weight(doc, doc.quotes[0]) == 0.0  # judged on its own words, as before
