"""Tagged Source / Cue / Content spans -> ``Quote`` objects.

The tagger only says which characters play which role; this module decides which pieces belong
to one attribution, with rules a reader can follow:

1. Content pieces are joined into one discontinuous quote when only spaces, quotation marks or
   commas separate them inside one sentence, when exactly one cue sits between them and
   neither piece has a cue of its own ('"A," he said, "B."', 'A, he said, B'), or when an
   aside set off by commas, dashes or brackets does, with no cue or source in it, inside one
   sentence ("571 superdelegates — a group of party leaders — backed her"; in PolNeAR train's
   gold, such pieces are one attribution 82 times out of 82, unless each has a cue of its
   own: then 4 times out of 14). Across a sentence or paragraph end, adjacent contents are
   separate attributions 7 times in 8 on PolNeAR dev, so they stay apart. NYT's '' opens a
   sentence like “.
2. Each quote takes the cue between its pieces, else the nearest cue in the sentences it spans,
   else a cue left unused in the previous sentence ('Trump said:' then the quote) or just
   after its last sentence ('"Why?" Vitter asked.').
3. Each quote takes the source nearest its cue in the cue's sentence (the nearest one in its own
   sentences when it has no cue); a source still unused goes to the nearest quote of its
   sentence that has none.

With the gold tags of PolNeAR dev as input these rules reach exact F1 0.998 source, 0.998 cue
and 0.949 content (train: 0.997, 0.997, 0.936; ``python -m models.attribution.evaluate
--oracle [--split train]``); what content loses is mostly gold quotes whose pieces lie in
different sentences.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from models.attribution.decoding import TaggedSpan
from models.baseline.quotemarks import quotation_marks_as_double
from models.types import Quote, Span

# Revision of these rules, part of the extractor's version (2: asides, NYT's '' sentences;
# 3: a direct quote's content is the words inside its quotation marks; 4: a line break ends a
# sentence even after a capital letter, "plan B.", and British single marks are quotation
# marks: 'We acted,' she said is a direct quote).
VERSION = 4
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=(?:''|[\"“‘'(\[])?[A-Z0-9])|\n+")
_JOINABLE_GAP = re.compile(r"[ \t\"“”‘’',;:—–-]*")  # no line break, no sentence end
# words set off by commas, dashes or brackets: ", a banker,", " — who else? — ", " (in 2015) "
_ASIDE = re.compile(r"\s*([,(]|[—–-]+)[^\n]*([,)]|[—–-]+)\s*")
MAX_CUE_GAP = 120  # characters between two pieces of one quote around its cue
OPENING, CLOSING = "“\"", "”\""
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev|Hon|Pres|"
    r"St|Jr|Sr|Inc|Corp|Co|Ltd|No|Vol|vs|Jan|Feb|Aug|Sept|Oct|Nov|Dec)|\b[A-Z](?:\.[A-Z])*)$")
NEXT_SENTENCE_CUE_REACH = 40  # '"Why not?" Vitter asked.': a cue just after a quote's sentence


def sentence_starts(text: str) -> list[int]:
    """Start offsets of sentences: after . ! ? (and closing marks) before a capital, and lines.

    Titles and initials ('Sen. Warren', 'D.C. Court', 'U.S. officials') do not end sentences.
    """
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.end() >= len(text):
            continue
        # "Sen. Warren" goes on; "... no plan B.\n\nThe" does not: a line break always ends one
        if (text[m.start()] == "." and "\n" not in m.group()
                and _ABBREVIATION.search(text[max(0, m.start() - 8):m.start()])):
            continue
        starts.append(m.end())
    return starts


@dataclass
class _Draft:
    pieces: list[TaggedSpan]
    cue: TaggedSpan | None = None
    source: TaggedSpan | None = None
    inner: list[TaggedSpan] = field(default_factory=list)  # cue/source spans between pieces

    @property
    def start(self) -> int:
        return self.pieces[0].start

    @property
    def end(self) -> int:
        return self.pieces[-1].end


def group_quotes(text: str, spans: list[TaggedSpan]) -> list[Quote]:
    marked = quotation_marks_as_double(text)  # once per article, for every quote's marks
    starts = sentence_starts(text)

    def sentence(pos: int) -> int:
        return bisect.bisect_right(starts, pos) - 1

    contents = sorted((s for s in spans if s.role == "Content"), key=lambda s: s.start)
    cues = sorted((s for s in spans if s.role == "Cue"), key=lambda s: s.start)
    sources = sorted((s for s in spans if s.role == "Source"), key=lambda s: s.start)
    drafts = _join_pieces(text, contents, cues, sources, sentence)
    _link_cues(drafts, cues, sentence)
    _link_sources(drafts, sources, sentence)
    return [_to_quote(text, marked, d) for d in drafts]


def _between(spans: list[TaggedSpan], start: int, end: int) -> list[TaggedSpan]:
    return [s for s in spans if start <= s.start and s.end <= end]


def _join_pieces(text, contents, cues, sources, sentence) -> list[_Draft]:
    drafts: list[_Draft] = []
    for piece in contents:
        previous = drafts[-1] if drafts else None
        if previous is not None and _continues(text, previous, piece, cues, sources, sentence):
            gap_cues = _between(cues, previous.end, piece.start)
            previous.inner += gap_cues + _between(sources, previous.end, piece.start)
            previous.pieces.append(piece)
        else:
            drafts.append(_Draft([piece]))
    return drafts


def _continues(text, draft: _Draft, piece: TaggedSpan, cues, sources, sentence) -> bool:
    gap = text[draft.end:piece.start]
    if _JOINABLE_GAP.fullmatch(gap):
        return True
    gap_cues = _between(cues, draft.end, piece.start)
    if len(gap_cues) > 1 or draft.inner or len(gap) > MAX_CUE_GAP or "\n" in gap:
        return False
    first_sentence = sentence(draft.start)
    own_cue_before = any(sentence(c.start) == first_sentence and c.end <= draft.start
                         for c in cues)
    last_sentence = sentence(piece.end - 1)
    own_cue_after = any(sentence(c.start) == last_sentence and c.start >= piece.end
                        for c in cues)
    if not gap_cues:  # an aside: "[571 superdelegates] — a group of party leaders — [backed her]"
        return (_ASIDE.fullmatch(gap) is not None
                and sentence(draft.end - 1) == sentence(piece.start)
                and not _between(sources, draft.end, piece.start)
                and not (own_cue_before and own_cue_after))  # two quotes, each with its cue
    return not own_cue_before and not own_cue_after


def _distance(a: TaggedSpan | _Draft, b: TaggedSpan) -> int:
    return max(b.start - a.end, a.start - b.end, 0)


def _link_cues(drafts: list[_Draft], cues: list[TaggedSpan], sentence) -> None:
    used: set[TaggedSpan] = set()
    for draft in drafts:
        inner = [c for c in draft.inner if c.role == "Cue"]
        if inner:
            draft.cue = inner[0]
        else:
            first, last = sentence(draft.start), sentence(draft.end - 1)
            near = [c for c in cues if first <= sentence(c.start) <= last
                    and not (draft.start <= c.start < draft.end)]
            # an unused cue wins over a closer one that another quote already has
            near.sort(key=lambda c: (c in used, _distance(draft, c)))
            draft.cue = near[0] if near else None
        if draft.cue is not None:
            used.add(draft.cue)
    for draft in drafts:  # 'Trump said:' then the quote, or '"Why?" Vitter asked.'
        if draft.cue is None:
            before = [c for c in cues if sentence(c.start) == sentence(draft.start) - 1
                      and c not in used]
            after = [c for c in cues if sentence(c.start) == sentence(draft.end - 1) + 1
                     and c not in used and c.start - draft.end <= NEXT_SENTENCE_CUE_REACH]
            if before or after:
                draft.cue = before[-1] if before else after[0]
                used.add(draft.cue)


def _link_sources(drafts: list[_Draft], sources: list[TaggedSpan], sentence) -> None:
    used: set[TaggedSpan] = set()
    for draft in drafts:
        inner = [s for s in draft.inner if s.role == "Source"]
        anchor = draft.cue
        if inner:
            candidates = inner
        elif anchor is not None:
            candidates = [s for s in sources if sentence(s.start) == sentence(anchor.start)
                          and not (draft.start <= s.start < draft.end)]
        else:
            anchor = draft.pieces[0]
            candidates = [s for s in sources
                          if sentence(draft.start) <= sentence(s.start) <= sentence(draft.end - 1)
                          and not (draft.start <= s.start < draft.end)]
        if candidates:
            draft.source = min(candidates, key=lambda s: (s in used, _distance(anchor, s)))
            used.add(draft.source)
    for source in sources:
        if source in used:
            continue
        orphans = [d for d in drafts if d.source is None
                   and sentence(d.start) <= sentence(source.start) <= sentence(d.end - 1)]
        if orphans:
            min(orphans, key=lambda d: _distance(d, source)).source = source


def quote_type(text: str, pieces: list[TaggedSpan]) -> str:
    """direct: every piece wholly inside quotation marks; mixed: some marks inside. NYT's ''
    and British single marks count ("''So,'' he said", "'So,' he said")."""
    return _marked_type(quotation_marks_as_double(text), pieces)


def _marked_type(text: str, pieces: list[TaggedSpan]) -> str:
    """``quote_type`` of a text whose quotation marks are all double already."""
    def quoted(piece: TaggedSpan) -> bool:
        inner = text[piece.start:piece.end].strip(" ,;:.!?—–-")
        before = text[:piece.start].rstrip(" \t\n,;:—–-")[-1:]
        after = text[piece.end:].lstrip(" \t\n,;:.!?—–-")[:1]
        opens = inner[:1] in OPENING or before in OPENING
        closes = inner[-1:] in CLOSING or after in CLOSING or inner[-2:-1] in CLOSING
        return opens and closes and not any(m in inner[1:-2] for m in "“”\"")

    if all(quoted(p) for p in pieces):
        return "direct"
    joined = "".join(text[p.start:p.end] for p in pieces)
    return "mixed" if any(mark in joined for mark in "“”\"") else "indirect"


def _span(text: str, tagged: TaggedSpan | None) -> Span | None:
    return None if tagged is None else Span.of(text, tagged.start, tagged.end)


def inside_marks(marked: str, piece: TaggedSpan) -> TaggedSpan:
    """A direct quote's piece without its quotation marks, nor the comma that hands over to
    the cue: '"We will win," he said' -> 'We will win'. The tagger (like PolNeAR's annotators)
    takes the marks in; the contract's content is the words inside them. ``marked`` is the
    article through ``quotation_marks_as_double`` (NYT's ''So,'' and British 'So,' too)."""
    start, end = piece.start, piece.end
    while start < end and (marked[start] in OPENING or marked[start].isspace()):
        start += 1
    while end > start and (marked[end - 1] in CLOSING or marked[end - 1] in ", \t\n"):
        end -= 1
    return TaggedSpan(piece.role, start, end) if end > start else piece


def _to_quote(text: str, marked: str, draft: _Draft) -> Quote:
    kind = _marked_type(marked, draft.pieces)
    pieces = [inside_marks(marked, p) for p in draft.pieces] if kind == "direct" else draft.pieces
    fragments = tuple(Span.of(text, p.start, p.end) for p in pieces)
    return Quote(
        type=kind,  # type: ignore[arg-type]
        content=Span.of(text, pieces[0].start, pieces[-1].end),
        content_fragments=fragments if len(fragments) > 1 else (),
        cue=_span(text, draft.cue),
        source=_span(text, draft.source),
    )
