from datetime import date

import pytest

from models.temporal import TemporalTagger, estimate
from models.types import Document, Quote, Span

WEDNESDAY = date(2018, 4, 18)


@pytest.mark.parametrize(
    "frame, expected",
    [
        ("Last week, the president expressed interest in", (True, date(2018, 4, 11))),
        ("she said two days ago", (True, date(2018, 4, 16))),
        ("he told reporters 3 weeks earlier", (True, date(2018, 3, 28))),
        ("as he said in 2016", (True, date(2016, 7, 1))),
        ("on Monday, Abe said", (True, date(2018, 4, 16))),
        ("earlier this month, he said", (True, None)),
        ("but has recently said he might be open to", (True, None)),
        ("Trump said on Wednesday", (False, None)),
        ("Trump had revealed earlier Tuesday that", (False, None)),
        ("Trump said", (False, None)),
    ],
)
def test_estimate(frame, expected):
    assert estimate(frame, WEDNESDAY) == expected


def test_offsets_need_a_publication_date():
    assert estimate("Last week, he said", None) == (True, None)


def test_words_inside_the_quote_do_not_date_it():
    text = 'Smith said: "We signed it last week." Jones said last month that it was bad.'
    inner = text.index("We signed")
    first = Quote("direct", Span.of(text, inner, inner + len("We signed it last week.")),
                  cue=Span.of(text, 6, 10))
    jones = text.index("it was bad")
    second = Quote("indirect", Span.of(text, jones, jones + len("it was bad")),
                   cue=Span.of(text, text.index("said last"), text.index("said last") + 4))
    doc = TemporalTagger()([Document(text, published_at=WEDNESDAY, quotes=[first, second])])[0]
    assert (doc.quotes[0].reported_earlier, doc.quotes[0].said_on) == (False, None)
    assert (doc.quotes[1].reported_earlier, doc.quotes[1].said_on) == (True, date(2018, 3, 19))


def test_abbreviations_do_not_end_the_sentence_and_later_clauses_do_not_count():
    text = ("Last week, the U.S. president expressed interest in rejoining the pact. "
            "Noting the deficit, Mr. Smith stressed he prefers bilateral deals, as he did upon "
            "his inauguration last year.")
    cue1 = text.index("expressed interest in")
    c1 = text.index("rejoining")
    cue2 = text.index("stressed")
    c2 = text.index("he prefers")
    quotes = [
        Quote("indirect", Span.of(text, c1, c1 + len("rejoining the pact")),
              cue=Span.of(text, cue1, cue1 + len("expressed interest in"))),
        Quote("indirect", Span.of(text, c2, c2 + len("he prefers bilateral deals")),
              cue=Span.of(text, cue2, cue2 + len("stressed"))),
    ]
    doc = TemporalTagger()([Document(text, published_at=WEDNESDAY, quotes=quotes)])[0]
    assert (doc.quotes[0].reported_earlier, doc.quotes[0].said_on) == (True, date(2018, 4, 11))
    assert (doc.quotes[1].reported_earlier, doc.quotes[1].said_on) == (False, None)
