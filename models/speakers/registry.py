"""What a newsroom knows about public figures without being told: their roles, and when.

Articles name people by role as often as by name: "the Democratic front-runner", "the Russian
leader", "the former secretary of state", "the U.S. president". The sieve matches such
descriptions against the titles the article itself gives its people ("U.S. President Donald
Trump", "Larry Kudlow, the director of the National Economic Council"); the registry adds the
roles the article takes for granted. ``config/people.json`` lists public figures, each with
the roles news copy calls them by and the dates each role held (``from`` inclusive, ``to``
exclusive, either open). Editors extend it by hand; nothing here is learned.

A role holds on an article's publication date, so "the president" is Obama in 2016 and Trump
in 2018; an article without a date is read as of today, as the service stores it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from models.speakers.names import name_tokens

REGISTRY_FILE = Path(__file__).resolve().parents[2] / "config" / "people.json"


@dataclass(frozen=True)
class Role:
    text: str  # as news copy writes it: "Democratic front-runner", "prime minister of Japan"
    start: date | None = None
    end: date | None = None  # exclusive: the day the next holder took over

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class KnownPerson:
    name: str
    roles: tuple[Role, ...]
    aliases: tuple[str, ...] = ()
    female: bool | None = None
    by_surname: bool = False  # the one the news means by the bare surname ("Clinton", 2016)

    def roles_on(self, day: date) -> list[str]:
        return [role.text for role in self.roles if role.holds_on(day)]


class PeopleRegistry:
    """Lookup of known people by the name words of an article's person cluster."""

    def __init__(self, people: list[KnownPerson]):
        # a person is found by first name and surname: an entry without both cannot be
        self.people = [p for p in people if name_key(p.name) is not None]
        self._by_full_name: dict[tuple[str, str], KnownPerson] = {}
        self._by_surname: dict[str, list[KnownPerson]] = {}
        for person in self.people:
            for name in (person.name, *person.aliases):
                key = name_key(name)
                if key is not None:
                    self._by_full_name.setdefault(key, person)
            self._by_surname.setdefault(name_key(person.name)[1], []).append(person)

    @classmethod
    def from_file(cls, path: Path = REGISTRY_FILE) -> PeopleRegistry:
        return cls.from_entries(json.loads(Path(path).read_text()))

    @classmethod
    def from_entries(cls, entries: list[dict]) -> PeopleRegistry:
        """From plain entries as in ``config/people.json`` ({"name", "aliases", "female",
        "by_surname", "roles": [{"as", "from", "to"}]}, dates as ISO strings or dates)."""
        return cls([_person(entry) for entry in entries])

    @classmethod
    def shipped(cls) -> PeopleRegistry:
        return _shipped_registry()

    def find(self, tokens: list[str], female: bool | None = None,
             day: date | None = None) -> KnownPerson | None:
        """The known person a cluster's name words ("donald", "trump") denote. A bare surname
        counts when one known person bears it (and agrees with a known gender), or only one
        of its bearers held a role on ``day`` ("Sanders" in 2015 is Bernie: Sarah Sanders
        was not in office yet), or the registry says whom news copy means by it ("Trump"
        alone is Donald, not Melania)."""
        if len(tokens) > 1:
            return self._by_full_name.get((tokens[0], tokens[-1]))
        if len(tokens) != 1:
            return None
        bearers = [p for p in self._by_surname.get(tokens[0], ())
                   if female is None or p.female in (None, female)]
        if len(bearers) > 1 and day is not None:
            bearers = [p for p in bearers if p.roles_on(day)] or bearers
        if len(bearers) > 1:
            bearers = [p for p in bearers if p.by_surname]
        return bearers[0] if len(bearers) == 1 else None

    def holder(self, role: str, day: date) -> KnownPerson | None:
        """The one person who held ``role`` (as the registry writes it) on ``day``."""
        found = [p for p in self.people
                 if any(r.text == role and r.holds_on(day) for r in p.roles)]
        return found[0] if len(found) == 1 else None


def name_key(name: str) -> tuple[str, str] | None:
    """(first name, surname) without titles, initials or case: how the registry finds a
    person; None for a name without both ("The President", "Madonna")."""
    tokens = name_tokens(name)
    return (tokens[0], tokens[-1]) if len(tokens) > 1 else None


@lru_cache(maxsize=1)
def _shipped_registry() -> PeopleRegistry:
    return PeopleRegistry.from_file()


def _person(entry: dict) -> KnownPerson:
    return KnownPerson(
        name=entry["name"],
        roles=tuple(
            Role(role["as"], _day(role.get("from")), _day(role.get("to"))) for role in entry["roles"]
        ),
        aliases=tuple(entry.get("aliases", ())),
        female=entry.get("female"),
        by_surname=entry.get("by_surname", False),
    )


def _day(value: str | date | None) -> date | None:
    """ISO strings from the JSON file or the database; dates from the API."""
    return date.fromisoformat(value) if isinstance(value, str) and value else value or None
