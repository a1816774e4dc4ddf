"""Integration: topic tagger + stance stage on the two example wire stories.

Quotes are found naively here (any text of 15+ characters between quotation marks) so that the
test depends only on the two stages of this issue, not on the attribution model. Reads
``../shared/examples`` (CI always has it) with the shipped stance weights; either missing fails.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from models.stance.model import WEIGHTS_DIR, WEIGHTS_FILE
from models.types import Document, Quote, Span

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "examples"
QUOTED = re.compile(r'[“"]([^”"\n]{15,})[”"]')


@pytest.fixture(scope="module")
def analysed() -> list[Document]:
    from models.stance.stage import QuoteStanceStage
    from models.topics.tagger import TopicTagger, load_catalogue

    paths = sorted(EXAMPLES.glob("*.txt"))
    assert len(paths) == 2, f"expected the two example stories in {EXAMPLES} (CI always has ../shared)"
    weights = WEIGHTS_DIR / WEIGHTS_FILE
    assert weights.is_file(), f"the shipped stance weights are missing: {weights}"
    docs = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        quotes = [Quote("direct", Span.of(text, m.start(1), m.end(1)))
                  for m in QUOTED.finditer(text)]
        docs.append(Document(text=text, quotes=quotes))
    topics = load_catalogue()
    return QuoteStanceStage()(TopicTagger()(docs, topics=topics), topics=topics)


def quotes_on(docs, topic_id):
    return [q for d in docs for q in d.quotes if q.topic and q.topic.topic_id == topic_id]


def test_tpp_quotes_are_found_and_mostly_against(analysed):
    tpp = quotes_on(analysed, "tpp")
    assert len(tpp) >= 2
    stances = Counter(q.stance.label for q in tpp)
    assert stances["against"] > len(tpp) / 2, stances


def test_the_abductions_quote_is_favor(analysed):
    abductions = quotes_on(analysed, "north-korea-abductions")
    assert abductions
    assert all(q.stance.label == "favor" for q in abductions)


def test_quotes_without_topic_have_no_stance(analysed):
    for doc in analysed:
        for quote in doc.quotes:
            assert (quote.stance is None) == (quote.topic is None)
