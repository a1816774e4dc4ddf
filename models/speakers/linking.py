"""Cross-article speaker linking: does an article's entity denote an already known speaker?

(Interface used by the service's repository: ``KnownSpeaker``, ``normalize_name`` and
``link_entity`` — keep these names and signatures; improve the internals freely.)

Pure functions over plain data: the service looks up candidate speakers in its database (by
normalised alias) and asks ``link_entity`` to decide. The rules, most specific first:
1. the entity's full name (or one of its aliases with two or more words) equals a stored name
   or alias: same person;
2. a bare surname ("Trump") links to the one candidate whose name ends with it; with two or
   more such candidates it is ambiguous and links to none;
3. two full names that differ in their first names ("John Smith", "Mary Smith") never link,
   even though they share the surname.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from models.types import Entity

# Titles that do not change who is meant: "President Trump" is Trump.
_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "representative", "gov",
    "governor", "president", "vice", "prime", "minister", "secretary", "gen", "general",
    "judge", "justice", "mayor", "speaker", "leader", "chairman", "chairwoman", "director",
    "ambassador", "attorney", "us", "former", "first", "lady", "sir", "rev", "pm",
}
_PUNCT = re.compile(r"[^\w\s'-]")


@dataclass(frozen=True)
class KnownSpeaker:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


def normalize_name(name: str) -> str:
    """Lower-case, accents folded, possessive and punctuation dropped, titles removed."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    folded = re.sub(r"['’]s\b", "", folded.lower()).replace(".", "")  # "U.S." -> "us"
    words = [w.strip("'-") for w in _PUNCT.sub(" ", folded).split()]
    words = [w for w in words if w and w not in _TITLES]
    return " ".join(words)


def _names(entity_or_speaker_names: Sequence[str]) -> set[str]:
    return {n for n in (normalize_name(x) for x in entity_or_speaker_names) if n}


def link_entity(entity: Entity, candidates: Sequence[KnownSpeaker]) -> str | None:
    """The id of the known speaker ``entity`` denotes, or None for a new speaker."""
    mine = _names([entity.name, *entity.aliases])
    full = {n for n in mine if " " in n}
    # 1. a multi-word name in common
    exact = [c for c in candidates if full & _names([c.name, *c.aliases])]
    if exact:
        return _best(exact, entity)
    if full:
        # 3. the article names a full name that no candidate has: a different person, unless
        # a candidate is only known by the same bare surname.
        surnames = {n.split()[-1] for n in full}
        first_names = {n.split()[0] for n in full}
        compatible = [
            c for c in candidates
            if normalize_name(c.name).split()[-1:] and normalize_name(c.name).split()[-1] in surnames
            and " " not in normalize_name(c.name)
        ]
        conflicting = [
            c for c in candidates
            if " " in normalize_name(c.name) and normalize_name(c.name).split()[0] not in first_names
        ]
        return compatible[0].id if len(compatible) == 1 and not conflicting else None
    # 2. a bare surname
    surname = next(iter(mine), "") if len(mine) == 1 else ""
    if not surname:
        return None
    ending = [c for c in candidates if normalize_name(c.name).split()[-1:] == [surname]]
    return ending[0].id if len(ending) == 1 else None


def _best(matches: Sequence[KnownSpeaker], entity: Entity) -> str:
    """Among several exact matches prefer the one whose canonical name is the entity's."""
    target = normalize_name(entity.name)
    for match in matches:
        if normalize_name(match.name) == target:
            return match.id
    return matches[0].id
