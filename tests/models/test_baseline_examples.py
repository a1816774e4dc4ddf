"""Integration: the rule baseline over ../shared/examples (read there, never copied).

Checks the expectations of shared/examples/README.md that a rule baseline can meet.
"""
from pathlib import Path

import pytest

from models.baseline import RuleQuoteExtractor
from models.pipeline import Pipeline
from models.speakers import SpeakerResolver
from models.types import Document

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "examples"


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    paths = sorted(EXAMPLES.glob("*.txt"))
    assert len(paths) == 2, f"expected the two example stories in {EXAMPLES} (CI always has ../shared)"
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return Pipeline([RuleQuoteExtractor(), SpeakerResolver()])([Document(t) for t in texts])


def speaker(docs, words: str) -> str | None:
    for doc in docs:
        for quote in doc.quotes:
            if words in doc.text[quote.content.start : quote.content.end]:
                entity = doc.entity(quote.speaker.entity_key) if quote.speaker else None
                return entity.name if entity else None
    raise AssertionError(f"no quote contains {words!r}")


def test_spans_are_exact_offsets(docs):
    for doc in docs:
        assert doc.quotes
        for quote in doc.quotes:
            for span in (quote.content, *quote.content_fragments, quote.cue, quote.source):
                if span is not None:
                    assert doc.text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    "words, name",
    [
        ("I don’t like the deal", "Donald Trump"),
        ("Too many contingencies", "Donald Trump"),  # unattributed continuation of the tweet
        ("I am very grateful for your commitment", "Shinzo Abe"),  # "he told Trump"
        ("I don't want to go back into TPP", "Donald Trump"),
        ("I like bilateral better", "Donald Trump"),
        ("interest in rejoining", "Donald Trump"),  # source "the U.S. president"
    ],
)
def test_expected_speakers(docs, words, name):
    assert speaker(docs, words) == name


def test_trump_name_variants_are_one_entity(docs):
    trump = next(e for e in docs[1].entities if e.name == "Donald Trump")
    assert {"Trump", "U.S. President Donald Trump"} <= set(trump.aliases)
