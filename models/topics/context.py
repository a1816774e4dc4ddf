"""Where a quote sits in its article: its paragraph and a window of sentences around it.

Plain string work (no spaCy): the topic tagger and the stance stage run on every quote of every
article, so the context must be cheap. Paragraphs are separated by line breaks; sentences end at
. ! or ? (optionally followed by a closing quote or bracket) before white space.
"""
from __future__ import annotations

import re

from models.types import Document, Quote

# A sentence ends at . ! ? (plus closing quotes/brackets) before white space, but not after an
# initial or an abbreviation like "U.S." or "Mr.", and only if a new sentence can start there.
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)(?<!\bSen)(?<!\bRep)(?<!\bGov)"
    r"[.!?][\"'”’)\]]*\s+(?=[\"“‘'(A-Z0-9])"
)


def quote_text(doc: Document, quote: Quote) -> str:
    """The attributed words; discontinuous pieces joined with an ellipsis."""
    return " ... ".join(doc.text[span.start : span.end] for span in quote.fragments())


def paragraph(text: str, start: int, end: int) -> str:
    """The paragraph(s) covering ``start:end`` (a quote may run over several)."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return text[left : right if right != -1 else len(text)].strip()


def sentence_window(text: str, start: int, end: int, before: int = 1, after: int = 1) -> str:
    """The sentences covering ``start:end`` plus ``before``/``after`` neighbours, within reason.

    Neighbours are taken across paragraph breaks: a speaker's position is often in the
    paragraph before or after the quote. The window is capped at 1,200 characters per side.
    """
    left_limit = max(0, start - 1200)
    boundaries = [m.end() for m in _SENTENCE_END.finditer(text, left_limit, start)]
    left = boundaries[-(before + 1)] if len(boundaries) > before else left_limit
    right_limit = min(len(text), end + 1200)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, end, right_limit)]
    right = ends[min(after, len(ends) - 1)] if ends else right_limit
    return " ".join(text[left:right].split())
