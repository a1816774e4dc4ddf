"""Build the analysis pipeline by name: the one place that knows which models ship.

    full      MiniLM attribution tagger -> speakers -> temporal -> topics -> MiniLM stance
    baseline  rule quote extractor      -> speakers -> temporal -> topics -> MiniLM stance

Every stage loads its weights once per process; the pipeline's ``version`` names them all, and
the service stores it with every article.
"""
from __future__ import annotations

from models.pipeline import Pipeline, Stage


def _stance_stages() -> tuple[list[Stage], object]:
    from models.stance.model import TransformerStanceModel
    from models.stance.stage import QuoteStanceStage
    from models.topics.tagger import TopicTagger

    stance_model = TransformerStanceModel.shared()
    return [TopicTagger(), QuoteStanceStage(stance_model)], stance_model


def _speakers() -> Stage:
    from models.speakers.sieve import SpeakerResolver

    return SpeakerResolver()


def _transformer_extractor() -> Stage:
    from models.attribution.extractor import TransformerQuoteExtractor

    return TransformerQuoteExtractor()  # backend: $QUOTES_INFERENCE_BACKEND, see models.runtime


def _rule_extractor() -> Stage:
    from models.baseline.extractor import RuleQuoteExtractor

    return RuleQuoteExtractor()


EXTRACTORS = {"full": _transformer_extractor, "baseline": _rule_extractor}


def build_pipeline(name: str = "full") -> Pipeline:
    if name not in EXTRACTORS:
        raise ValueError(f"unknown pipeline {name!r}; known: {', '.join(EXTRACTORS)}")
    from models.temporal import TemporalTagger

    labelling, stance_model = _stance_stages()
    return Pipeline([EXTRACTORS[name](), _speakers(), TemporalTagger(), *labelling], stance_model)
