"""The rule-based quote extractor: quotation marks plus cue verbs on the spaCy parse.

Four passes over one parsed article, in this order, because an earlier pass claims text that a
later one must not claim again (PolNeAR, like a reader, counts only the outermost attribution):

1. **direct**: every quoted run that stands on its own (after a colon, a comma, a sentence start
   or a paragraph start) is a direct quote. Its cue and source come from the words around it:
   '"...," he said.' / 'Trump said: "..."' / '"...," said Trump.' / '..., saying: "..."'.
   '"I like it," he said, "and I want it."' is one quote with two content fragments. A quoted
   paragraph with no cue around it is kept without a source (the speaker stage fills it in).
2. **indirect**: a cue verb (``cues.CLAUSE_CUE_VERBS``) governing a clause (``ccomp``): the
   clause, "that" included, is the content; the subject is the source. If that clause holds a
   quoted run, the quote is *mixed*.
3. **according to**: "According to X, ..." / "..., according to X."
4. **headline and transcript colons**: "Pence: Flowers won't be at debate", "WALLACE: ...".

Quoted runs that are neither standalone quotes nor inside a reported clause (scare quotes,
titles) are ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from models.baseline.cues import (
    CLAUSE_CUE_VERBS,
    DIRECT_QUOTE_CUE_VERBS,
    INTENTION_VERBS,
    OBJECT_CUE_VERBS,
)
from models.baseline.quotemarks import QuotedRun, find_quoted_runs, paragraphs
from models.nlp import parse_many
from models.pipeline import Stage
from models.types import Document, Quote, QuoteType, Span

SENTENCE_END = {".", "!", "?"}
EDGE_CHARS = " \t\n,;:.!?“”\"‘’'—–-()"
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
CLIMB_DEPS = {"advcl", "xcomp", "conj", "ccomp", "pcomp"}
MAX_TRAILING_TOKENS = 25
MAX_LEADING_TOKENS = 45
MIN_UNATTRIBUTED_WORDS = 6  # a quoted run with no cue must look like speech, not a title


class RuleQuoteExtractor(Stage):
    name = "rule-quotes"
    version = "2"  # 2: the shared parse starts a sentence at every paragraph (models.nlp)

    def preprocess(self, docs: list[Document], **context: Any) -> list[SpacyDoc]:
        return parse_many([doc.text for doc in docs])

    def postprocess(
        self, docs: list[Document], outputs: list[SpacyDoc], **context: Any
    ) -> list[Document]:
        for doc, parsed in zip(docs, outputs):
            doc.quotes = extract_quotes(doc.text, parsed)
        return docs


# ----------------------------------------------------------------------------------------------
# The article as the passes see it


@dataclass
class _Article:
    text: str
    parsed: SpacyDoc
    runs: list[QuotedRun]
    run_of_token: list[int | None]
    paragraph_of_char: list[tuple[int, int]] = field(default_factory=list)
    claimed_tokens: set[int] = field(default_factory=set)  # cues and sources already used
    quotes: list[Quote] = field(default_factory=list)

    def paragraph(self, token: Token) -> tuple[int, int]:
        for start, end in self.paragraph_of_char:
            if start <= token.idx < end:
                return start, end
        return 0, len(self.text)

    def span(self, first: Token, last: Token) -> Span:
        return trimmed_span(self.text, first.idx, last.idx + len(last.text))

    def in_run(self, token: Token) -> bool:
        return self.run_of_token[token.i] is not None


def extract_quotes(text: str, parsed: SpacyDoc) -> list[Quote]:
    runs = find_quoted_runs(text)
    article = _Article(text, parsed, runs, _map_tokens_to_runs(parsed, runs), paragraphs(text))
    standalone = [run for run in runs if _is_standalone(article, run)]
    _direct_pass(article, standalone)
    _indirect_pass(article)
    _according_to_pass(article)
    _colon_pass(article)
    return _outermost_only(article.quotes)


def trimmed_span(text: str, start: int, end: int, keep_marks: bool = False) -> Span:
    """The span with whitespace, commas and stray quotation marks removed from its edges.

    ``keep_marks`` keeps quotation marks (and the punctuation just inside them) so that a mixed
    quote reads 'was “on the table,”' rather than 'was “on the table'.
    """
    edge = " \t\n,;:" if keep_marks else EDGE_CHARS
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return Span.of(text, start, end)


def _map_tokens_to_runs(parsed: SpacyDoc, runs: list[QuotedRun]) -> list[int | None]:
    owner: list[int | None] = [None] * len(parsed)
    for index, run in enumerate(runs):
        for token in parsed.char_span(run.open_mark, run.outer_end, alignment_mode="expand") or ():
            owner[token.i] = index
    return owner


# ----------------------------------------------------------------------------------------------
# 1. Direct quotes


def _is_standalone(article: _Article, run: QuotedRun) -> bool:
    """Does the quoted run stand on its own, rather than inside a sentence of the reporter's?"""
    text = article.text
    i = run.open_mark - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] == "\n" or text[i] in ":,.!?—–-(;" or text[i] in "”\"'":
        return True
    # 'said "I will"' and 'saying "we can"': the cue itself introduces the quote.
    token = _token_at(article.parsed, i)
    return token is not None and _is_direct_cue(token)


def _direct_pass(article: _Article, runs: list[QuotedRun]) -> None:
    index = 0
    while index < len(runs):
        group = [runs[index]]
        # '"I like it," he said, "and I want it."' -> fragments of one quote.
        while index + 1 < len(runs) and _continues_after_cue(article, group[-1], runs[index + 1]):
            group.append(runs[index + 1])
            index += 1
        # '"I like it," he said. "I want it."' -> the next quoted sentence is his too.
        while index + 1 < len(runs) and _follows_cue_sentence(article, group, runs[index + 1]):
            group.append(runs[index + 1])
            index += 1
        index += 1
        quote = _direct_quote(article, group)
        if quote is not None:
            article.quotes.append(quote)


def _follows_cue_sentence(article: _Article, group: list[QuotedRun], nxt: QuotedRun) -> bool:
    last = group[-1]
    if last.close_mark is None or len(group) > 2:
        return False
    frame = _trailing_frame(article, last)
    if not frame or frame[-1].text != "." or not any(_is_direct_cue(t) for t in frame[:8]):
        return False
    between = article.text[frame[-1].idx + 1 : nxt.open_mark]
    if between.strip() or "\n" in between:
        return False
    own_frame = _trailing_frame(article, nxt)
    return not any(_is_direct_cue(t) for t in own_frame)


def _continues_after_cue(article: _Article, first: QuotedRun, second: QuotedRun) -> bool:
    if first.close_mark is None:
        return False
    between = article.text[first.outer_end : second.open_mark]
    inner_end = article.text[first.start : first.end].rstrip()
    if "\n" in between or not between.rstrip().endswith(","):
        return False
    if inner_end.endswith((".", "!", "?")):  # a finished sentence: the next quote is new
        return False
    frame = _tokens_between(article, first.outer_end, second.open_mark)
    return len(frame) <= 12 and any(_is_direct_cue(t) for t in frame)


def _direct_quote(article: _Article, group: list[QuotedRun]) -> Quote | None:
    first, last = group[0], group[-1]
    # With fragments the cue sits between the first two ('"A," he said, "B."').
    cue = _find_direct_cue(article, first, first if len(group) > 1 else last)
    words = sum(run.word_count(article.text) for run in group)
    if cue is None and (words < MIN_UNATTRIBUTED_WORDS or _looks_like_title(article.text, first)):
        return None
    fragments = tuple(_inner_words(article.text, run) for run in group)
    content = Span.of(article.text, fragments[0].start, fragments[-1].end)
    quote = Quote(
        type="direct",
        content=content,
        content_fragments=fragments if len(fragments) > 1 else (),
    )
    if cue is not None:
        _attach_cue_and_source(article, quote, cue)
    return quote


def _find_direct_cue(article: _Article, first: QuotedRun, last: QuotedRun) -> Token | None:
    trailing = _trailing_frame(article, last)
    leading = _leading_frame(article, first)
    inner = article.text[last.start : last.end].rstrip()
    ends_sentence = inner.endswith((".", "!", "?")) or last.close_mark is None
    if first is last and trailing and trailing[-1].text in {".", ","} and len(trailing) <= 8:
        ends_sentence = False  # '"...it." he said.' is still the frame of this quote
    trailing_cues = [t for t in trailing if _is_direct_cue(t)]
    leading_cues = [t for t in leading if _is_direct_cue(t)]
    if trailing_cues and not ends_sentence and trailing.index(trailing_cues[0]) < 8:
        return trailing_cues[0]
    if leading_cues:
        return leading_cues[-1]
    if trailing_cues and (not ends_sentence or len(trailing) <= 6):
        return trailing_cues[0]
    return None


def _is_direct_cue(token: Token) -> bool:
    if token.lower_ == "according":
        return True
    return token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in DIRECT_QUOTE_CUE_VERBS


def _trailing_frame(article: _Article, run: QuotedRun) -> list[Token]:
    _, para_end = _paragraph_at(article, run.outer_end - 1)  # where the quote closes
    frame: list[Token] = []
    token = _first_token_from(article.parsed, run.outer_end)
    while token is not None and token.idx < para_end and not article.in_run(token):
        frame.append(token)
        if token.text in SENTENCE_END or token.text == ":" or len(frame) >= MAX_TRAILING_TOKENS:
            break
        token = token.nbor() if token.i + 1 < len(article.parsed) else None
    return frame


def _leading_frame(article: _Article, run: QuotedRun) -> list[Token]:
    para_start, _ = _paragraph_at(article, run.open_mark)
    frame = _frame_before(article, run.open_mark, para_start)
    if not frame and para_start > 0:
        # 'Trump said:' closing the paragraph above introduces a quote that opens this one.
        before = article.text[:para_start].rstrip()
        if before.endswith(":"):
            prev_start, _ = _paragraph_at(article, len(before) - 1)
            frame = _frame_before(article, len(before), prev_start)
    return frame


def _frame_before(article: _Article, end: int, para_start: int) -> list[Token]:
    frame: list[Token] = []
    token = _last_token_before(article.parsed, end)
    while token is not None and token.idx >= para_start and not article.in_run(token):
        if token.text in SENTENCE_END or len(frame) >= MAX_LEADING_TOKENS:
            break
        frame.append(token)
        token = token.nbor(-1) if token.i > 0 else None
    return frame[::-1]


# ----------------------------------------------------------------------------------------------
# 2. Indirect and mixed quotes


def _indirect_pass(article: _Article) -> None:
    for token in article.parsed:
        if token.i in article.claimed_tokens or article.in_run(token):
            continue
        if token.pos_ not in {"VERB", "AUX"}:
            continue
        clause = _reported_clause(token)
        if clause is None:
            if token.lemma_.lower() in CLAUSE_CUE_VERBS:
                _parenthetical(article, token)
            continue
        first, last = _clause_bounds(article, clause, token)
        if first is None or last is None:
            continue
        content = article.span(first, last)
        if not content.text or _overlaps_claimed_content(article, content):
            continue
        touched = _runs_touching(article, content)
        if touched and _is_direct_quote_content(article, content, touched):
            continue  # the direct pass owns it (it found no cue, so neither do we)
        quote_type: QuoteType = "mixed" if touched else "indirect"
        if touched:  # widen the content to whole quoted runs, marks included
            start = min(content.start, *(article.runs[i].open_mark for i in touched))
            end = max(content.end, *(article.runs[i].outer_end for i in touched))
            content = trimmed_span(article.text, start, end, keep_marks=True)
        quote = Quote(type=quote_type, content=content)
        _attach_cue_and_source(article, quote, token)
        article.quotes.append(quote)


def _parenthetical(article: _Article, cue: Token) -> None:
    """'The economy, he said, is strong.' / 'The economy is strong, he said.'"""
    subject = _subject_of(cue)
    if subject is None or subject.head.i != cue.i:
        return
    sent = cue.sent
    first = min(subject.left_edge.i, cue.i)
    last = max(subject.right_edge.i, cue.i)
    while last + 1 < sent.end and article.parsed[last + 1].dep_ in {"npadvmod", "advmod", "prep", "pobj", "det", "compound"} and article.parsed[last + 1].head.i in range(first, last + 1):
        last = article.parsed[last + 1].right_edge.i  # "he said on Friday"
    if first - 1 < sent.start or article.parsed[first - 1].text != ",":
        return
    after = article.parsed[last + 1] if last + 1 < sent.end else None
    if after is None or after.text not in {",", "."} :
        return
    fragments = []
    if first - 1 > sent.start:
        fragments.append(article.span(sent[0], article.parsed[first - 2]))
    if after.text == "," and after.i + 1 < sent.end - 1:
        fragments.append(article.span(article.parsed[after.i + 1], sent[-1]))
    fragments = [f for f in fragments if len(f.text.split()) >= 2]
    if not fragments or any(_overlaps_claimed_content(article, f) for f in fragments):
        return
    touched = [i for f in fragments for i in _runs_touching(article, f)]
    quote = Quote(
        type="mixed" if touched else "indirect",
        content=Span.of(article.text, fragments[0].start, fragments[-1].end),
        content_fragments=tuple(fragments) if len(fragments) > 1 else (),
    )
    _attach_cue_and_source(article, quote, cue)
    article.quotes.append(quote)


def _reported_clause(cue: Token) -> Token | None:
    """The clause, infinitive or object that a cue verb attributes to its subject."""
    lemma = cue.lemma_.lower()
    if not any(c.dep_ in SUBJECT_DEPS for c in cue.children) and cue.dep_ not in CLIMB_DEPS:
        return None
    for child in cue.children:
        if child.dep_ == "ccomp" and lemma in CLAUSE_CUE_VERBS:
            return child
        if child.dep_ == "xcomp" and lemma in INTENTION_VERBS:
            return child
    for child in cue.children:
        if child.dep_ == "dobj" and lemma in OBJECT_CUE_VERBS:
            return child
    return None


def _clause_bounds(article: _Article, clause: Token, cue: Token) -> tuple[Token | None, Token | None]:
    """The clause's subtree, cut so that it never runs over its cue or out of its sentence."""
    sent = cue.sent
    first, last = clause.left_edge, clause.right_edge
    if first.i <= cue.i <= last.i:  # a clause wrapped around its cue: keep the side it heads
        if clause.i > cue.i:
            first = cue.nbor()
        else:
            last = cue.nbor(-1)
    first = max(first, sent[0], key=lambda t: t.i)
    last = min(last, sent[-1], key=lambda t: t.i)
    if first.i > last.i:
        return None, None
    return first, last


def _runs_touching(article: _Article, span: Span) -> list[int]:
    return [
        i for i, run in enumerate(article.runs) if run.start < span.end and span.start < run.end
    ]


def _is_direct_quote_content(article: _Article, content: Span, touched: list[int]) -> bool:
    quoted = sum(
        min(content.end, article.runs[i].end) - max(content.start, article.runs[i].start)
        for i in touched
    )
    return quoted >= 0.8 * (content.end - content.start)


def _overlaps_claimed_content(article: _Article, span: Span) -> bool:
    return any(
        fragment.start < span.end and span.start < fragment.end
        for quote in article.quotes
        for fragment in quote.fragments()
    )


# ----------------------------------------------------------------------------------------------
# 3. "according to"


def _according_to_pass(article: _Article) -> None:
    for token in article.parsed:
        if token.lower_ != "according" or token.i + 1 >= len(article.parsed):
            continue
        to = token.nbor()
        if to.lower_ != "to" or token.i in article.claimed_tokens or article.in_run(token):
            continue
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:
            continue
        content = _according_to_content(article, token)
        if content is None or _overlaps_claimed_content(article, content):
            continue
        touched = _runs_touching(article, content)
        quote = Quote(type="mixed" if touched else "indirect", content=content)
        quote.cue = article.span(token, to)
        obj = objects[0]
        quote.source = article.span(obj.left_edge, obj.right_edge)
        article.claimed_tokens.update(range(token.i, obj.right_edge.i + 1))
        article.quotes.append(quote)


def _according_to_content(article: _Article, according: Token) -> Span | None:
    """The rest of the sentence on the longer side of "according to X"."""
    sent = according.sent
    phrase_start, phrase_end = according.left_edge.i, according.right_edge.i
    before = [t for t in sent if t.i < phrase_start and not t.is_punct]
    after = [t for t in sent if t.i > phrase_end and not t.is_punct]
    side = after if len(after) > len(before) else before
    if len(side) < 3:
        return None
    span = article.span(side[0], side[-1])
    return span if span.text else None


# ----------------------------------------------------------------------------------------------
# 4. Headline and transcript colons: "Pence: Flowers Won't Be at Debate", "WALLACE: Let's start"

_COLON_LINE = re.compile(
    r"^\s*[\"“]?(?P<source>(?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*){0,2}):\s+(?P<content>\S.*\S)\s*$"
)
_NOT_SPEAKERS = {"Note", "Update", "Photo", "Watch", "Video", "Editor", "Correction", "Related"}


def _colon_pass(article: _Article) -> None:
    for index, (start, end) in enumerate(article.paragraph_of_char):
        line = article.text[start:end]
        match = _COLON_LINE.match(line)
        if not match or match.group("source").split()[0] in _NOT_SPEAKERS:
            continue
        is_transcript = match.group("source").isupper()
        if not (is_transcript or index == 0):
            continue
        content = trimmed_span(article.text, start + match.start("content"), start + match.end("content"))
        if not content.text or _overlaps_claimed_content(article, content):
            continue
        colon = start + match.end("source")
        article.quotes.append(
            Quote(
                type="direct" if is_transcript else "indirect",
                content=content,
                cue=Span.of(article.text, colon, colon + 1),
                source=Span.of(article.text, start + match.start("source"), colon),
            )
        )


# ----------------------------------------------------------------------------------------------
# Cue and source


def _attach_cue_and_source(article: _Article, quote: Quote, cue: Token) -> None:
    if cue.lower_ == "according" and cue.i + 1 < len(article.parsed):
        to = cue.nbor()
        quote.cue = article.span(cue, to)
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if objects:
            quote.source = _mention_span(article, objects[0], exclude={cue.i, to.i})
        article.claimed_tokens.update({cue.i, to.i})
        return
    quote.cue = _cue_span(article, cue)
    article.claimed_tokens.add(cue.i)
    subject = _subject_of(cue)
    if subject is not None:
        quote.source = _mention_span(article, subject, exclude={cue.i})
        if quote.source is not None:
            article.claimed_tokens.update(
                t.i for t in article.parsed.char_span(
                    quote.source.start, quote.source.end, alignment_mode="expand"
                ) or ()
            )


def _cue_span(article: _Article, cue: Token) -> Span:
    """The verb with the auxiliaries and adverbs just before it ("has also said", "did not
    say", as PolNeAR annotates them) and its particle ("pointed out")."""
    first, last = cue, cue
    while first.i > 0:
        prev = first.nbor(-1)
        if prev.head.i != cue.i or prev.dep_ not in {"aux", "auxpass", "neg", "advmod"}:
            break
        first = prev
    for child in cue.children:
        if child.dep_ == "prt" and child.i == cue.i + 1:
            last = child
    return article.span(first, last)


def _subject_of(cue: Token) -> Token | None:
    token = cue
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            subject = subjects[0]
            if subject.dep_ == "nsubjpass" and subject.lower_ in {"it", "this"}:
                return None  # "it was reported that": nobody is named
            return subject
        # '"...," said Trump': the parser may take the name for an object of the cue.
        inverted = [
            c for c in token.children
            if c.i > token.i and c.dep_ in {"dobj", "npadvmod", "attr", "dep", "appos"}
            and c.pos_ == "PROPN"
        ]
        if token.i == cue.i and inverted:
            return inverted[0]
        if token.dep_ not in CLIMB_DEPS or token.head.i == token.i:
            return None
        token = token.head
    return None


def _mention_span(article: _Article, head: Token, exclude: set[int]) -> Span | None:
    """The head's subtree as one contiguous span that stops at quotes and at the cue."""
    first, last = head, head
    while first.i > head.left_edge.i:
        prev = first.nbor(-1)
        if prev.i in exclude or article.in_run(prev):
            break
        first = prev
    while last.i < head.right_edge.i:
        nxt = last.nbor()
        if nxt.i in exclude or article.in_run(nxt):
            break
        last = nxt
    span = article.span(first, last)
    return span if span.text else None


# ----------------------------------------------------------------------------------------------
# Clean-up and small helpers


def _outermost_only(quotes: list[Quote]) -> list[Quote]:
    """Drop attributions nested in another's content, as PolNeAR annotates the outermost only."""
    kept = []
    for quote in quotes:
        anchors = [s for s in (quote.cue, quote.source) if s is not None] or [quote.content]
        nested = any(
            other is not quote
            and any(
                f.start <= a.start and a.end <= f.end
                for f in other.fragments()
                for a in anchors
            )
            for other in quotes
        )
        if not nested:
            kept.append(quote)
    return sorted(kept, key=lambda q: q.content.start)


def _inner_words(text: str, run: QuotedRun) -> Span:
    """The words inside the marks, without the comma that closes '"...," he said'."""
    end = run.end
    while end > run.start and text[end - 1] in ",;: ":
        end -= 1
    return Span.of(text, run.start, end)


def _looks_like_title(text: str, run: QuotedRun) -> bool:
    words = re.findall(r"[A-Za-z][\w'’]*", text[run.start : run.end])
    return bool(words) and all(w[0].isupper() for w in words if len(w) > 3)


def _paragraph_at(article: _Article, offset: int) -> tuple[int, int]:
    for start, end in article.paragraph_of_char:
        if start <= offset < end:
            return start, end
    return 0, len(article.text)


def _token_at(parsed: SpacyDoc, offset: int) -> Token | None:
    span = parsed.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _first_token_from(parsed: SpacyDoc, offset: int) -> Token | None:
    return next((t for t in parsed if t.idx >= offset), None)


def _last_token_before(parsed: SpacyDoc, offset: int) -> Token | None:
    return next((t for t in reversed(parsed) if t.idx + len(t.text) <= offset), None)


def _tokens_between(article: _Article, start: int, end: int) -> list[Token]:
    return [t for t in article.parsed if start <= t.idx and t.idx + len(t.text) <= end]

