"""Reader for PolNeAR (brat standoff, see ``shared/data/polnear/FORMAT.md``).

The corpus is not ours to redistribute: it is read from ``../shared/data/polnear`` (or
``$POLNEAR_DIR``) at training and evaluation time and never copied into the project.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polnear"

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t", re.M)
_E_LINE = re.compile(r"^(E\d+)\t(.*)$", re.M)
_KEY_DATE = re.compile(r"_(\d{4}-\d{2}-\d{2})_")  # "nyt_2015-12-22_trump-says-..."


@dataclass(frozen=True)
class GoldSpan:
    """A possibly discontinuous span: ``pieces`` are (start, end) pairs into the article text."""

    pieces: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


@dataclass(frozen=True)
class GoldAttribution:
    content: GoldSpan | None
    cue: GoldSpan | None
    source: GoldSpan | None


@dataclass
class Article:
    key: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)

    @property
    def published_at(self) -> date | None:
        """The publication date the article's key carries (every PolNeAR key has one)."""
        found = _KEY_DATE.search(self.key)
        return date.fromisoformat(found.group(1)) if found else None


def polnear_dir() -> Path:
    return Path(os.environ.get("POLNEAR_DIR", DEFAULT_DIR))


def parse_ann(ann: str) -> list[GoldAttribution]:
    spans: dict[str, tuple[str, GoldSpan]] = {}
    for tid, kind, offsets in _T_LINE.findall(ann):
        pieces = tuple(
            tuple(int(x) for x in piece.split()) for piece in offsets.strip().split(";")
        )
        spans[tid] = (kind, GoldSpan(tuple(sorted(pieces))))  # type: ignore[arg-type]
    attributions = []
    for _eid, body in _E_LINE.findall(ann):
        _trigger, *args = body.split()
        roles: dict[str, list[GoldSpan]] = {}
        for arg in args:
            role, tid = arg.split(":")
            role = "Content" if role.startswith("Content") else role
            roles.setdefault(role, []).append(spans[tid][1])
        if not roles:  # empty events (trigger only) carry nothing
            continue
        contents = roles.get("Content", [])
        content = (
            GoldSpan(tuple(sorted(p for s in contents for p in s.pieces))) if contents else None
        )
        attributions.append(
            GoldAttribution(
                content=content,
                cue=roles.get("Cue", [None])[0],
                source=roles.get("Source", [None])[0],
            )
        )
    return attributions


def load_split(split: str, root: Path | None = None, limit: int | None = None) -> list[Article]:
    """One ``Article`` per text, using the alphabetically first annotator file for each."""
    root = root or polnear_dir()
    text_dir, ann_dir = root / split / "text", root / split / "attributions"
    articles = []
    for text_path in sorted(text_dir.glob("*.txt"))[:limit]:
        key = text_path.stem
        anns = sorted(ann_dir.glob(f"{key}_*.ann"))
        if not anns:
            continue
        text = text_path.read_text(encoding="utf-8")
        articles.append(Article(key, text, parse_ann(anns[0].read_text(encoding="utf-8"))))
    return articles
