"""Attribution metrics: normalisation, exact span F1, overlap F1, micro pooling, sections."""
import argparse

import pytest

from models.evaluation import __main__ as evaluation_main
from models.evaluation.attribution import gold_type, predicted_spans
from models.evaluation.metrics import ArticleSpans, Counts, normalize, score, word_tokens
from models.types import Quote, Span

TEXT = '“I like it,” he said, “and I want it.” Then Bob said the end was near.'
FIRST = (1, 10)  # I like it
SECOND = (23, 36)  # and I want it


def test_normalize_trims_marks_punctuation_and_space_per_piece():
    assert normalize(TEXT, [(0, 12)]) == (FIRST,)
    assert normalize(TEXT, [(21, 38), (0, 12)]) == (FIRST, SECOND)
    assert normalize(TEXT, [(11, 13)]) == ()  # only punctuation: nothing left


def test_exact_match_needs_every_fragment():
    gold = ArticleSpans(TEXT, content=[(FIRST, SECOND)])
    both = ArticleSpans(TEXT, content=[((0, 12), (21, 38))])
    covering = ArticleSpans(TEXT, content=[((1, 36),)])
    assert score([(both, gold)]).exact["content"].f1 == 1.0
    assert score([(covering, gold)]).exact["content"].f1 == 0.0


def test_overlap_counts_word_tokens_of_fragments_only():
    gold = ArticleSpans(TEXT, content=[(FIRST, SECOND)])  # 3 + 4 tokens
    first_only = ArticleSpans(TEXT, content=[(FIRST,)])
    overlap = score([(first_only, gold)]).content_overlap
    assert (overlap.tp, overlap.fp, overlap.fn) == (3, 0, 4)
    assert word_tokens(TEXT, [FIRST]) == {(1, 2), (3, 7), (8, 10)}


def test_micro_average_pools_counts_over_articles():
    gold = ArticleSpans(TEXT, source=[((13, 15),), ((44, 47),)])
    perfect = ArticleSpans(TEXT, source=[((13, 15),), ((44, 47),)])
    empty = ArticleSpans(TEXT)
    scores = score([(perfect, gold), (empty, gold)])
    assert (scores.exact["source"].tp, scores.exact["source"].fn) == (2, 2)
    assert scores.exact["source"].recall == 0.5 and scores.exact["source"].precision == 1.0
    assert scores.articles == 2


def test_a_source_shared_by_two_quotes_counts_once():
    quotes = [
        Quote("indirect", Span.of(TEXT, 53, 69), source=Span.of(TEXT, 44, 47)),
        Quote("indirect", Span.of(TEXT, 53, 60), source=Span.of(TEXT, 44, 47)),
    ]
    gold = ArticleSpans(TEXT, source=[((44, 47),)])
    assert score([(predicted_spans(TEXT, quotes), gold)]).exact["source"].fp == 0


def test_counts_f1():
    counts = Counts(tp=3, fp=1, fn=2)
    assert counts.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Counts().f1 == 0.0


def test_gold_type_follows_the_corpus_notes():
    assert gold_type(TEXT, [(0, 12)]) == "direct"
    assert gold_type(TEXT, [(53, 69)]) == "indirect"
    assert gold_type('He called it "a mess" today.', [(3, 27)]) == "mixed"


def test_missing_section_module_is_skipped_with_a_note(monkeypatch):
    monkeypatch.setitem(evaluation_main.SECTIONS, "ghost", "models.evaluation.no_such_section")
    note = evaluation_main.run_section("ghost", argparse.Namespace())
    assert "skipped" in note
