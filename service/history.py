"""A speaker's stance history: periods and shifts of majority position.

Pure functions over counts, so they work the same on ten quotes or a million: the database
aggregates quotes per (topic, month, stance) and we group those rows into periods here.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

LABELS = ("favor", "against", "neutral")


@dataclass
class Period:
    start: date
    end: date
    counts: Counter = field(default_factory=Counter)

    @property
    def majority(self) -> str | None:
        """The most frequent stance; None on a tie at the top."""
        ranked = self.counts.most_common()
        if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "majority": self.majority,
                "counts": {label: self.counts.get(label, 0) for label in LABELS}}


def period_key(day: date, period: str) -> tuple[int, int]:
    if period == "quarter":
        return day.year, (day.month - 1) // 3
    if period == "year":
        return day.year, 0
    return day.year, day.month


def bucket(
    counts: Iterable[tuple[date, date, str, int]], period: str = "month"
) -> list[Period]:
    """(first day, last day, stance, n) rows, each within one month -> periods in time order."""
    periods: dict[tuple[int, int], Period] = {}
    for first, last, stance, n in sorted(counts):
        current = periods.setdefault(period_key(first, period), Period(first, last))
        current.start, current.end = min(current.start, first), max(current.end, last)
        current.counts[stance] += n
    return [periods[key] for key in sorted(periods)]


@dataclass
class Shift:
    before: Period
    after: Period

    def explanation(self, speaker: str, topic: str) -> str:
        b, a = self.before, self.after
        return (
            f"{speaker} on {topic}: mostly {b.majority} from {b.start} to {b.end} "
            f"({b.counts[b.majority]} of {sum(b.counts.values())} quotes), then mostly "
            f"{a.majority} from {a.start} to {a.end} "
            f"({a.counts[a.majority]} of {sum(a.counts.values())})."
        )


def detect_shifts(periods: list[Period], min_quotes: int = 1) -> list[Shift]:
    """A shift is a change of majority position between consecutive decided periods.

    A period counts as decided when it has a strict majority over at least ``min_quotes``
    quotes, so that one stray quote does not make a shift in a busy history.
    """
    decided = [p for p in periods
               if p.majority is not None and sum(p.counts.values()) >= min_quotes]
    return [Shift(b, a) for b, a in zip(decided, decided[1:]) if b.majority != a.majority]
