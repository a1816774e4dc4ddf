"""Hashtags as words: "#FeelTheBern" -> "Feel The Bern", "#medicareforall" -> "medicare for all".

The uncased WordPiece vocabulary cuts a hashtag into pieces that mean little ("#thugpresident"
-> "#", "thug", "##pres", "##ide", "##nt"), so the words the pretrained encoder knows, and the
stance they carry, are lost. Splitting them first gives it "thug", "president". Camel case is
split where the case changes; a one-case hashtag is split into the fewest whole words of the
tokenizer's vocabulary, and left as it is (without its "#") when no such split exists. Short
words must be common ones, so that acronyms stay whole ("#maga" is not "ma ga").

A training option (``--split-hashtags``), off by default: measured, it did not help P-Stance
(docs/experiments.md). A model reads hashtags split only if its card says it was trained so.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_HASHTAG = re.compile(r"#(\w+)")
_CASE_CHANGE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
SHORT_WORDS = frozenset(
    "an as at be by do go he in is it me my no of on or so to up us we".split())
LONGEST_WORD = 20


class HashtagSplitter:
    def __init__(self, vocabulary: Iterable[str]):
        self.words = frozenset(
            w for w in vocabulary
            if w.isalpha() and w.islower() and (len(w) > 2 or w in SHORT_WORDS)
        )
        self._segment = lru_cache(maxsize=65536)(self._fewest_words)

    def __call__(self, text: str) -> str:
        return _HASHTAG.sub(lambda m: self.split(m.group(1)), text)

    def split(self, tag: str) -> str:
        parts = _CASE_CHANGE.split(tag)
        if len(parts) > 1:
            return " ".join(parts)
        return self._segment(tag.lower()) or tag

    def _fewest_words(self, tag: str) -> str | None:
        """The split of ``tag`` into the fewest vocabulary words, or None (dynamic programming)."""
        best: list[list[str] | None] = [[]] + [None] * len(tag)
        for end in range(1, len(tag) + 1):
            for start in range(max(0, end - LONGEST_WORD), end):
                word, before = tag[start:end], best[start]
                if before is not None and word in self.words and (
                        best[end] is None or len(before) + 1 < len(best[end])):
                    best[end] = before + [word]
        return " ".join(best[-1]) if best[-1] else None
