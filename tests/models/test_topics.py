"""Topic tagger logic with a fake encoder (bag of words), and the context helpers."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np

from models.topics.context import paragraph, quote_text, sentence_window
from models.topics.tagger import (
    CATALOGUE_FILE,
    TaggerParams,
    TopicTagger,
    headline,
    keyword_pattern,
    load_catalogue,
)
from models.types import Document, Quote, Span, Topic

VOCABULARY = ("steel", "tariff", "pacific", "trade", "partnership", "weather", "rain", "dog",
              "missile", "korea", "pizza", "cheese")


class BagOfWordsEncoder:
    """Counts vocabulary stems; records what it was asked to encode."""

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen += list(texts)
        vectors = np.array([[t.lower().count(w) for w in VOCABULARY] for t in texts], dtype=float)
        vectors[:, -1] += 1e-3  # never a zero vector
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


TOPICS = (
    Topic("tpp", "Trans-Pacific Partnership", "A Pacific trade partnership.", ("TPP",)),
    Topic("steel", "Steel tariffs", "Tariffs on imported steel.", ("steel tariff",)),
)
PARAMS = TaggerParams(quote_weight=0.5, paragraph_weight=0.5, keyword_in_quote=0.2,
                      keyword_in_paragraph=0.1, threshold=0.5)


def make_doc(text: str, *contents: str) -> Document:
    quotes = []
    for content in contents:
        start = text.index(content)
        quotes.append(Quote("direct", Span.of(text, start, start + len(content))))
    return Document(text=text, title="Leaders hold talks", quotes=quotes)


def test_assigns_the_matching_topic_and_none_to_unrelated_quotes():
    text = ('"We will put a tariff on steel," she said.\n\n'
            '"My dog likes pizza and cheese," he said.')
    doc = make_doc(text, "We will put a tariff on steel", "My dog likes pizza and cheese")
    tagged = TopicTagger(BagOfWordsEncoder(), PARAMS)([doc], topics=TOPICS)[0]
    assert tagged.quotes[0].topic.topic_id == "steel"
    assert 0 < tagged.quotes[0].topic.confidence <= 1
    assert tagged.quotes[1].topic is None


def test_a_keyword_in_the_quote_outweighs_a_closer_embedding():
    text = '"Steel and trade: we want TPP," he said.'
    doc = make_doc(text, "Steel and trade: we want TPP")
    by_embedding = TopicTagger(BagOfWordsEncoder(), replace(PARAMS, threshold=0.3))
    assert by_embedding([doc], topics=TOPICS)[0].quotes[0].topic.topic_id == "steel"
    with_keywords = TopicTagger(BagOfWordsEncoder(), replace(PARAMS, threshold=0.3, keyword_in_quote=0.5))
    assert with_keywords([doc], topics=TOPICS)[0].quotes[0].topic.topic_id == "tpp"


def test_no_catalogue_means_no_topic():
    doc = make_doc('"Steel tariffs now," he said.', "Steel tariffs now")
    assert TopicTagger(BagOfWordsEncoder(), PARAMS)([doc], topics=())[0].quotes[0].topic is None


def test_a_new_topic_is_used_at_once_and_topic_embeddings_are_cached():
    encoder = BagOfWordsEncoder()
    tagger = TopicTagger(encoder, PARAMS)
    doc = make_doc('"Korea fired another missile," she said.', "Korea fired another missile")
    assert tagger([doc], topics=TOPICS)[0].quotes[0].topic is None
    korea = Topic("nk", "Korea missile tests", "Missile launches by North Korea.", ("missile",))
    tagged = tagger([doc], topics=TOPICS + (korea,))[0]
    assert tagged.quotes[0].topic.topic_id == "nk"
    tagger([doc], topics=TOPICS + (korea,))
    topic_texts = [t for t in encoder.seen if t.startswith(("Trans-Pacific", "Steel", "Korea missile"))]
    assert len(topic_texts) == 6  # label and label+description, once each however often used


def test_keyword_pattern_whole_words_plurals_and_acronym_case():
    pattern = keyword_pattern(["TPP", "steel tariff"])
    assert pattern.search("leave TPP now")
    assert not pattern.search("the tppx file") and not pattern.search("tpp")
    assert pattern.search("new Steel Tariffs")
    assert pattern.search("steel-tariff talk")
    assert keyword_pattern([]) is None


def test_shipped_catalogue_is_valid():
    raw = json.loads(CATALOGUE_FILE.read_text())
    ids = [t["id"] for t in raw]
    assert len(ids) == len(set(ids)) >= 25
    assert {"tpp", "north-korea-abductions", "steel-aluminum-tariffs"} <= set(ids)
    assert all(t["label"] and t["description"] and t["keywords"] for t in raw)
    assert load_catalogue()[0].id == ids[0]


def test_context_helpers():
    text = "First one. Second has the quote here. Third one.\nNext paragraph."
    start = text.index("the quote")
    end = start + len("the quote")
    assert paragraph(text, start, end) == "First one. Second has the quote here. Third one."
    assert sentence_window(text, start, end, 0, 0) == "Second has the quote here."
    assert sentence_window(text, start, end) == "First one. Second has the quote here. Third one."
    doc = Document(text=text, quotes=[Quote("direct", Span.of(text, 0, 5),
                                            content_fragments=(Span.of(text, 0, 5),
                                                               Span.of(text, 11, 17)))])
    assert quote_text(doc, doc.quotes[0]) == "First ... Second"


def test_relabel_runs_the_real_topic_and_stance_stages_only():
    """`flask topics retag` re-labels stored quotes through ``Pipeline.relabel``: the shipped
    topic and stance stages must take part, the quote-finding stages must not."""
    from models.pipeline import Pipeline, Stage
    from models.stance.stage import QuoteStanceStage
    from models.types import StancePrediction

    class Forbidden(Stage):
        name, role = "finder", "quotes"

        def postprocess(self, docs, outputs, **_):
            raise AssertionError("relabel must not find quotes again")

    class AlwaysAgainst:
        version = "fixed"

        def predict(self, pairs):
            return [StancePrediction("against", 0.9, {"favor": 0.05, "against": 0.9,
                                                      "neutral": 0.05}) for _ in pairs]

    text = '"We will put a tariff on steel," she said.'
    doc = make_doc(text, "We will put a tariff on steel")
    pipeline = Pipeline([Forbidden(), TopicTagger(BagOfWordsEncoder(), PARAMS),
                         QuoteStanceStage(AlwaysAgainst())])
    relabelled = pipeline.relabel([doc], TOPICS)[0]
    assert relabelled.quotes[0].topic.topic_id == "steel"
    assert relabelled.quotes[0].stance.label == "against"


def test_a_slug_title_is_no_headline_the_first_line_stands_in():
    body = "Leaders met on the steel tariff dispute.\n\nThe talks went on."
    lede = body.splitlines()[0]
    for slug in ("Trump-Abe 004", "TRADE/", "trump-abe-summit-004", "   ", None):
        assert headline(Document(text=body, title=slug)) == lede, slug
    for title in ("Trump cool on TPP", "Trump's 100 days", "2016 election results",
                  "G7 summit ends", "EU, U.S. agree", "特朗普与安倍会谈贸易问题"):
        assert headline(Document(text=body, title=title)) == title


def test_a_slug_title_does_not_pull_a_topical_quote_below_the_threshold():
    text = 'Steel tariff talks stalled.\n\n"The steel tariff hurts us," she said.'
    doc = make_doc(text, "The steel tariff hurts us")
    doc.title = "Trump-Abe 004"
    params = TaggerParams(quote_weight=0.2, paragraph_weight=0.2, keyword_in_quote=0.0,
                          keyword_in_paragraph=0.0, threshold=0.8)
    tagged = TopicTagger(BagOfWordsEncoder(), params)([doc], topics=TOPICS)[0]
    assert tagged.quotes[0].topic.topic_id == "steel"
