"""The rule quote extractor on tiny hand-written texts."""
import pytest

from models.baseline import RuleQuoteExtractor
from models.baseline.quotemarks import find_quoted_runs
from models.types import Document, Quote


def extract(text: str) -> list[Quote]:
    doc = RuleQuoteExtractor()([Document(text)])[0]
    for quote in doc.quotes:  # the offset invariant of the contract, for every span
        for span in (quote.content, *quote.content_fragments, quote.cue, quote.source):
            if span is not None:
                assert text[span.start : span.end] == span.text
    return doc.quotes


def only(quotes: list[Quote]) -> Quote:
    assert len(quotes) == 1, quotes
    return quotes[0]


def test_discontinuous_direct_quote_is_one_quote_with_two_fragments():
    quote = only(extract('"I like it," he said, "and I want it."'))
    assert quote.type == "direct"
    assert [f.text for f in quote.content_fragments] == ["I like it", "and I want it."]
    assert quote.cue.text == "said" and quote.source.text == "he"


def test_indirect_quote_from_cue_verb_and_clause():
    quote = only(extract("Senator Alice Brown said the new budget would fail in the spring."))
    assert quote.type == "indirect"
    assert quote.source.text == "Senator Alice Brown"
    assert quote.cue.text == "said"
    assert quote.content.text == "the new budget would fail in the spring"


def test_that_clause_keeps_that_and_auxiliaries_join_the_cue():
    quote = only(extract("The mayor has argued that the bridge must be rebuilt."))
    assert quote.cue.text == "has argued"
    assert quote.content.text == "that the bridge must be rebuilt"


def test_partial_quote_inside_reported_speech_is_mixed():
    quote = only(extract('Tom Green said the trade deal was "a disaster for our workers."'))
    assert quote.type == "mixed"
    assert "a disaster for our workers" in quote.content.text
    assert quote.source.text == "Tom Green"


def test_said_after_the_name_and_curly_marks():
    quote = only(extract("“We will win this race,” said Jane Doe, the party chair."))
    assert quote.type == "direct" and quote.content.text == "We will win this race"
    assert "Jane Doe" in quote.source.text


def test_colon_introduced_quote_with_nested_single_quotes():
    text = "Paul Reed told reporters: “My father always said ‘never give up’ and I agree.”"
    quote = only(extract(text))
    assert quote.content.text == "My father always said ‘never give up’ and I agree."
    assert quote.source.text == "Paul Reed" and quote.cue.text == "told"


def test_quote_over_two_paragraphs_without_closing_mark():
    text = (
        "“The first part of the statement runs on for a while here.\n\n"
        "“And the second paragraph finishes it,” Ann Lee said."
    )
    quote = only(extract(text))
    assert quote.content.start == 1
    assert quote.content.text.endswith("finishes it")
    assert quote.source.text == "Ann Lee"


def test_according_to():
    quote = only(extract("Unemployment fell sharply last year, according to the labor ministry."))
    assert quote.cue.text == "according to"
    assert quote.source.text == "the labor ministry"
    assert quote.content.text == "Unemployment fell sharply last year"


def test_shudder_quotes_are_not_quotes():
    assert extract('The so-called "experts" were wrong about the "miracle" cure.') == []


def test_unattributed_quoted_paragraph_is_kept_without_source():
    text = "“Nothing about this plan works for the families in our town, nothing at all.”"
    quote = only(extract(text))
    assert quote.type == "direct" and quote.source is None and quote.cue is None


@pytest.mark.parametrize(
    "text, inner",
    [
        ("''Two apostrophes,'' she said.", ["Two apostrophes,"]),
        ('He said "yes" and "no".', ["yes", "no"]),
        ("“Don’t stop,” she said.", ["Don’t stop,"]),
    ],
)
def test_quotation_mark_styles(text, inner):
    assert [text[r.start : r.end] for r in find_quoted_runs(text)] == inner
