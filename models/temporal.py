"""When was it said? Marks quotes that report an *earlier* statement, and dates them.

News often reports a position taken before the article: "Last week, the U.S. president
expressed interest in rejoining the TPP", "has recently said he might be open to re-joining".
In a stance history such a quote must not read as what the speaker says today. This stage
reads the time expressions of the quote's own sentence, relative to the article's date:

- explicit offsets ("last week", "two days ago", "earlier this month", "in 2016", "on Monday")
  give ``said_on``, the estimated day;
- vague ones ("recently", "previously", "has long said", "once said") only set
  ``reported_earlier``.
Without a publication date, offsets cannot be resolved: only ``reported_earlier`` is set.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from models.pipeline import Stage
from models.types import Document, Quote

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_AGO = re.compile(r"\b(\d+|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|several)"
                  r"\s+(day|week|month|year)s?\s+(?:ago|earlier|before)\b", re.I)
_LAST = re.compile(r"\blast\s+(week|month|year)\b", re.I)
_EARLIER_THIS = re.compile(r"\bearlier\s+this\s+(week|month|year)\b", re.I)
_YESTERDAY = re.compile(r"\byesterday\b", re.I)
_YEAR = re.compile(r"\b(?:in|during)\s+((?:19|20)\d\d)\b")
_WEEKDAY = re.compile(r"\b(?:on|last)\s+(" + "|".join(_WEEKDAYS) + r")\b", re.I)
# "earlier" alone is left out: "earlier Tuesday" in a Tuesday story is the same day.
_VAGUE = re.compile(
    r"\b(recently|previously|formerly|has long|had long|in the past|at the time|used to)\b",
    re.I)


# A period ends a sentence unless it closes an initial or a common abbreviation ("U.S.", "Mr.").
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\bSen)(?<!\bGov)(?<!\bRep)"
    r"[.!?][\"”’']?(?=\s)|\n")
# How far past the cue the frame reaches: "she said two days ago", not the rest of a long
# sentence ("... upon his inauguration last year" belongs to another clause).
_AFTER_CUE = 30


def _frame(doc: Document, quote: Quote) -> str:
    """The words around the quote that are not the quoted words themselves: "I'll do it last
    week" inside the quote says nothing about when the quote was said."""
    anchor = quote.cue or quote.content
    start = min(anchor.start, quote.content.start)
    left = 0
    for match in _SENTENCE_END.finditer(doc.text, 0, start):
        left = match.end()
    right = anchor.end + _AFTER_CUE if quote.cue else quote.content.end
    frame = doc.text[left:right]
    stop = _SENTENCE_END.search(frame, max(0, anchor.end - left))
    frame = frame[:stop.end()] if stop else frame
    for fragment in quote.fragments():
        frame = frame.replace(fragment.text, " ")
    return frame


def estimate(frame: str, published: date | None) -> tuple[bool, date | None]:
    """(reported earlier?, estimated day) from the words framing a quote."""
    if m := _AGO.search(frame):
        count = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1).lower()]
        return True, published and published - timedelta(days=count * _UNIT_DAYS[m.group(2).lower()])
    if m := _LAST.search(frame):
        return True, published and published - timedelta(days=_UNIT_DAYS[m.group(1).lower()])
    if _YESTERDAY.search(frame):
        return True, published and published - timedelta(days=1)
    if m := _EARLIER_THIS.search(frame):
        return True, None
    if (m := _YEAR.search(frame)) and published and int(m.group(1)) < published.year:
        return True, date(int(m.group(1)), 7, 1)
    if (m := _WEEKDAY.search(frame)) and published:
        back = (published.weekday() - _WEEKDAYS.index(m.group(1).lower())) % 7
        # "on Tuesday" in a Wednesday story is yesterday; on the day itself it is today.
        return (back > 1), published - timedelta(days=back) if back > 1 else None
    if _VAGUE.search(frame):
        return True, None
    return False, None


class TemporalTagger(Stage):
    name, version, role = "temporal", "1", "quotes"

    def postprocess(self, docs: list[Document], outputs: Any, **context: Any) -> list[Document]:
        for doc in docs:
            for quote in doc.quotes:
                quote.reported_earlier, quote.said_on = estimate(_frame(doc, quote), doc.published_at)
        return docs
