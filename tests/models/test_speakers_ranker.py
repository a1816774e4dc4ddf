"""The mention ranker: candidate features on tiny hand-written texts, and the shipped weights."""
import math

import pytest

from models.baseline import RuleQuoteExtractor
from models.nlp import parse
from models.pipeline import Pipeline
from models.speakers import SpeakerResolver
from models.speakers.ranker import FEATURES, WEIGHTS, MentionRanker, handles, mention_rows
from models.speakers.article import ParsedArticle
from models.types import Document

TEXT = (
    "Robert Miller met Anna Kovacs at the plant on Monday.\n\n"
    "Kovacs said the plant would stay open.\n\n"
    "“We will fight for every job,” she told Miller."
)


def article_and_mention(text: str, mention: str):
    parsed = parse(text)
    article = ParsedArticle(text, parsed, [])
    start = text.rindex(mention)
    return article, parsed.char_span(start, start + len(mention))


def feature_table(text: str, mention: str, named_sources=()):
    article, span = article_and_mention(text, mention)
    for offset, name in named_sources:
        cluster = next(c for c in article.clusters if c.name == name)
        article.named_sources.append((offset, cluster))
    clusters, rows = mention_rows(article, span, sieve_choice=None)
    return {c.name: dict(zip(FEATURES, row)) for c, row in zip(clusters, rows)}


def test_candidates_are_the_names_before_the_mention():
    table = feature_table(TEXT, "she")
    assert set(table) == {"Robert Miller", "Anna Kovacs"}


def test_gender_and_cue_object_features():
    table = feature_table(TEXT, "she", named_sources=[(TEXT.index("Kovacs said"), "Anna Kovacs")])
    kovacs, miller = table["Anna Kovacs"], table["Robert Miller"]
    assert kovacs["gender_agrees"] == 1 and miller["gender_conflicts"] == 1
    assert miller["object_of_cue"] == 1 and kovacs["object_of_cue"] == 0
    assert kovacs["latest_named_source"] == 1 and kovacs["source_recency"] == 1
    assert miller["latest_named_source"] == 0
    # "she" is in the third sentence and paragraph; Kovacs was last named one sentence and one
    # paragraph back ("Kovacs said ..."), Miller two back ("Robert Miller met ..."): log(1 + gap)
    assert kovacs["sentence_distance"] == pytest.approx(math.log1p(1))
    assert kovacs["paragraph_distance"] == pytest.approx(math.log1p(1))
    assert miller["sentence_distance"] == pytest.approx(math.log1p(2))
    assert miller["paragraph_distance"] == pytest.approx(math.log1p(2))
    assert kovacs["same_sentence"] == 0 and miller["same_sentence"] == 0


def test_writer_pronouns_and_quantities_are_not_ranked():
    _, i_span = article_and_mention("I said it would rain.", "I")
    _, poll = article_and_mention("Nine percent said it would rain.", "Nine percent")
    _, he = article_and_mention("He said it would rain.", "He")
    assert not handles(i_span) and not handles(poll) and handles(he)


def test_resolver_declares_its_role():
    assert SpeakerResolver.role == "speakers"


def test_campaign_is_an_organisation_named_after_its_candidate():
    doc = Pipeline([RuleQuoteExtractor(), SpeakerResolver(mode="sieve")]).analyze(Document(
        "Senator Jane Doe spoke in Ohio on Monday.\n\n"
        "The Doe campaign said the rally drew ten thousand people."
    ))
    quote = next(q for q in doc.quotes if "rally" in q.content.text)
    entity = doc.entity(quote.speaker.entity_key)
    assert entity.name == "Jane Doe campaign" and entity.kind == "organization"


def test_shipped_weights_load_and_pick_the_agreeing_speaker():
    assert WEIGHTS.exists(), f"the shipped ranker weights are missing: {WEIGHTS}"
    ranker = MentionRanker.load_shipped()
    assert ranker is not None and ranker.version.startswith("speaker-ranker-")
    article, span = article_and_mention(TEXT, "she")
    assert ranker.choose(article, span, sieve_choice=None).name == "Anna Kovacs"


def test_ranker_round_trips_through_json():
    import numpy as np

    ranker = MentionRanker(np.arange(len(FEATURES), dtype=float), 0.5, np.zeros(len(FEATURES)),
                           np.ones(len(FEATURES)), "speaker-ranker-test")
    again = MentionRanker.from_json(ranker.to_json())
    assert again.version == "speaker-ranker-test"
    assert np.allclose(again.coef, ranker.coef) and again.intercept == 0.5


def test_resolver_runs_with_the_ranker_in_every_mode():
    assert WEIGHTS.exists(), f"the shipped ranker weights are missing: {WEIGHTS}"
    for mode in ("ranker", "combined"):
        resolver = SpeakerResolver(mode=mode)
        assert resolver.ranker is not None and "speaker-ranker" in resolver.tag
        doc = Pipeline([RuleQuoteExtractor(), resolver]).analyze(Document(TEXT))
        assert len(doc.quotes) == 2, [q.content.text for q in doc.quotes]
        assert all(q.speaker is not None for q in doc.quotes), mode


def test_possessor_is_not_the_speaker():
    doc = Pipeline([RuleQuoteExtractor(), SpeakerResolver(mode="sieve")]).analyze(Document(
        "Tom Berg was charged on Friday.\n\n"
        "Berg's lawyer said the charges would be dropped."
    ))
    quote = next(q for q in doc.quotes if "dropped" in q.content.text)
    speaker = doc.entity(quote.speaker.entity_key) if quote.speaker else None
    assert speaker is None or speaker.name != "Tom Berg"
