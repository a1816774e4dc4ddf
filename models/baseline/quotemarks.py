"""Find the quoted runs of an article from its quotation marks alone (no parse).

Handles straight and curly double quotes, single quotes nested inside double quotes (they stay
part of the content), top-level single quotes ('Like this,' in some styles and headlines), and
the newspaper convention for a quotation that runs over several paragraphs: every paragraph
opens with a quotation mark but only the last one closes it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPENING_DOUBLE = "“„«"
CLOSING_DOUBLE = "”»"
STRAIGHT_DOUBLE = '"'
OPENING_SINGLE = "‘"
CLOSING_SINGLE = "’"
ALL_MARKS = OPENING_DOUBLE + CLOSING_DOUBLE + STRAIGHT_DOUBLE + OPENING_SINGLE + CLOSING_SINGLE + "'"

_PARAGRAPH = re.compile(r"[^\n]+")
_DOUBLE_APOSTROPHE = re.compile("''")


def double_apostrophes_as_marks(text: str) -> str:
    """The text with each '' (two apostrophes: the quotation mark of some archives, the New
    York Times' among them) written as ' "', so that rules reading straight double quotes see
    it. Same length: offsets into the result are offsets into ``text``."""
    return _DOUBLE_APOSTROPHE.sub(' "', text)


def quotation_marks_as_double(text: str) -> str:
    """The text with its quotation marks as rules reading double quotes expect them, same
    length: NYT's '' as ' " (``double_apostrophes_as_marks``), and British style turned round,
    its single marks paired as ``find_quoted_runs`` pairs them written as straight double
    quotes and the double marks inside them as single ones ('He said "no",' she said).
    Apostrophes stay ("don't", "Britain's", "the '90s")."""
    chars = list(double_apostrophes_as_marks(text))
    for run in find_quoted_runs(text):
        if text[run.open_mark] in OPENING_SINGLE + "'" and not text.startswith("''", run.open_mark):
            end = run.close_mark if run.close_mark is not None else run.end
            for i in range(run.open_mark + 1, end):
                if chars[i] in OPENING_DOUBLE + CLOSING_DOUBLE + STRAIGHT_DOUBLE:
                    chars[i] = "'"
            chars[run.open_mark] = STRAIGHT_DOUBLE
            if run.close_mark is not None:
                chars[run.close_mark] = STRAIGHT_DOUBLE
    return "".join(chars)


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class QuotedRun:
    """A stretch of text between quotation marks.

    ``open_mark`` is the offset of the opening mark, ``close_mark`` that of the closing mark
    (``None`` when the paragraph ended without one). ``start``/``end`` delimit the words inside
    the marks; for a multi-paragraph quotation they run from the first paragraph to the last.
    """

    open_mark: int
    close_mark: int | None
    start: int
    end: int
    outer_end: int  # just after the closing mark (or ``end`` when there is none)

    def word_count(self, text: str) -> int:
        return len(_WORD.findall(text[self.start : self.end]))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line; PolNeAR and wire copy put a paragraph per line."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def find_quoted_runs(text: str) -> list[QuotedRun]:
    runs: list[QuotedRun] = []
    paras = paragraphs(text)
    carried: int | None = None  # opening mark of a quotation continued from the paragraph above
    for index, (p_start, p_end) in enumerate(paras):
        open_at, kind = carried, "double" if carried is not None else None
        first_char = _first_non_space(text, p_start, p_end)
        skip_to = p_start
        if carried is not None and _double_mark_width(text, first_char):
            skip_to = first_char + _double_mark_width(text, first_char)
        carried = None
        for i in range(p_start, p_end):
            ch = text[i]
            if i < skip_to:
                continue
            if kind in (None, "double") and text.startswith("''", i):
                # NYT style: two apostrophes for a straight double quote.
                if open_at is None:
                    open_at, kind = i, "double"
                else:
                    runs.append(_run(text, open_at, i, width=2))
                    open_at, kind = None, None
                skip_to = i + 2
            elif kind in (None, "double") and ch in OPENING_DOUBLE + CLOSING_DOUBLE + STRAIGHT_DOUBLE:
                is_open = ch in OPENING_DOUBLE or (ch == STRAIGHT_DOUBLE and open_at is None)
                if is_open and open_at is None:
                    open_at, kind = i, "double"
                elif not is_open and open_at is not None:
                    runs.append(_run(text, open_at, i))
                    open_at, kind = None, None
            elif kind in (None, "single") and ch in OPENING_SINGLE + CLOSING_SINGLE + "'":
                if open_at is None and _opens_single(text, i, p_start):
                    open_at, kind = i, "single"
                elif open_at is not None and _closes_single(text, i, p_end):
                    runs.append(_run(text, open_at, i))
                    open_at, kind = None, None
        if open_at is None:
            continue
        if kind == "double" and _next_paragraph_opens_quote(text, paras, index):
            carried = open_at
        elif kind == "double" and _is_paragraph_long_quote(text, open_at, p_end):
            runs.append(_run(text, open_at, None, p_end))  # closing mark forgotten
    return runs


def _run(
    text: str, open_mark: int, close_mark: int | None, end: int | None = None, width: int = 1
) -> QuotedRun:
    start = open_mark + (2 if text.startswith("''", open_mark) else 1)
    stop = close_mark if close_mark is not None else end
    assert stop is not None
    while start < stop and text[start].isspace():
        start += 1
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    outer_end = close_mark + width if close_mark is not None else stop
    return QuotedRun(open_mark, close_mark, start, stop, outer_end)


def _double_mark_width(text: str, i: int) -> int:
    """1 for a double quotation mark at ``i``, 2 for two apostrophes, 0 otherwise."""
    if text.startswith("''", i):
        return 2
    return 1 if i < len(text) and text[i] in OPENING_DOUBLE + STRAIGHT_DOUBLE + CLOSING_DOUBLE else 0


def _first_non_space(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _next_paragraph_opens_quote(text: str, paras: list[tuple[int, int]], index: int) -> bool:
    if index + 1 >= len(paras):
        return False
    start, end = paras[index + 1]
    first = _first_non_space(text, start, end)
    return first < end and (text[first] in OPENING_DOUBLE + STRAIGHT_DOUBLE or text.startswith("''", first))


def _is_paragraph_long_quote(text: str, open_at: int, end: int) -> bool:
    return len(_WORD.findall(text[open_at:end])) >= 6


_ELIDED = re.compile(r"[‘’'](?:\d0s\b|n[‘’'])")  # "the '90s", "rock 'n' roll"


def _opens_single(text: str, i: int, p_start: int) -> bool:
    """A single mark opens a quotation only after a space or punctuation, before a letter, and
    not where it stands for elided letters."""
    before = text[i - 1] if i > p_start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return ((before.isspace() or before in "(:—–-") and (after.isalpha() or after.isdigit())
            and not _ELIDED.match(text, i))


def _closes_single(text: str, i: int, p_end: int) -> bool:
    """A single mark closes only before a space or punctuation (so not "don’t" or "it’s")."""
    before = text[i - 1]
    after = text[i + 1] if i + 1 < p_end else " "
    return not before.isspace() and not after.isalnum()
