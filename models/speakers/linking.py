"""Cross-article speaker linking: does an article's entity denote an already known speaker?

(Interface used by the service's repository: ``KnownSpeaker``, ``normalize_name`` and
``link_entity`` — keep these names and signatures; improve the internals freely.)

Pure functions over plain data: the service looks up candidate speakers in its database (by
normalised alias) and asks ``link_entity`` to decide (``match_speaker`` gives the same decision
with the rule that made it and a confidence). For persons, most specific first:
1. **full name**: the entity's full name (or a multi-word alias) has the same first and last
   name as a stored name or alias, after dropping titles, honorifics, middle initials, accents
   and possessives ("U.S. President Donald J. Trump" = "Donald Trump"): same person. Two
   stored speakers matching is ambiguous: no link.
2. **conflict**: same surname, different first names ("John Smith", "Mary Smith") never link,
   whatever the aliases say.
3. **bare surname**: an entity known only as "Trump" links to the one candidate carrying
   that surname; a full-name entity links to a candidate stored only as the bare surname if
   it is the only bearer. Two or more bearers: ambiguous, no link (better a new speaker
   than two people merged).
Organisations and groups (``Entity.kind != "person"``) link on their normalised name or an
alias only ("The White House" = "White House").
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from models.speakers.names import AFFILIATIONS, LOWER_CASE_TITLES
from models.types import Entity

# Titles that do not change who is meant: "President Trump" is Trump.
_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "representative", "gov",
    "governor", "president", "vice", "prime", "minister", "secretary", "gen", "general",
    "judge", "justice", "mayor", "speaker", "leader", "chairman", "chairwoman", "director",
    "ambassador", "attorney", "us", "former", "first", "lady", "sir", "rev", "pm",
}
_PUNCT = re.compile(r"[^\w\s'-]")
# Words after which a name starts ("Democratic nominee", "campaign manager").
_TITLE_WORDS = _TITLES | LOWER_CASE_TITLES | AFFILIATIONS


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


@dataclass(frozen=True)
class LinkDecision:
    speaker_id: str | None  # None: none of the candidates; the service creates a new speaker
    confidence: float
    rule: str  # "full-name", "surname", "organization", "ambiguous", "conflict", "none"


def link_entity(entity: Entity, candidates: Sequence[KnownSpeaker]) -> str | None:
    """The id of the known speaker ``entity`` denotes, or None for a new speaker."""
    return match_speaker(entity, candidates).speaker_id


def match_speaker(entity: Entity, candidates: Sequence[KnownSpeaker]) -> LinkDecision:
    """``link_entity`` with the rule that decided and a confidence."""
    if entity.kind != "person":
        return _match_organization(entity, candidates)
    entity_full = _full_names([entity.name, *entity.aliases])
    if entity_full:
        return _match_full_name(entity, entity_full, candidates)
    surname = _surname(entity.name)
    if surname is None:
        return LinkDecision(None, 0.0, "none")
    bearers = [c for c in candidates if surname in _surnames(c)]
    if len(bearers) == 1:
        return LinkDecision(bearers[0].id, 0.8, "surname")
    # Several bearers ("Donald Trump", "Melania Trump"): the one that earlier articles already
    # called by the bare surname, if exactly one was.
    called_so = [c for c in bearers if surname in _names([c.name, *c.aliases])]
    if len(called_so) == 1:
        return LinkDecision(called_so[0].id, 0.6, "surname-alias")
    return LinkDecision(None, 0.0, "ambiguous" if bearers else "none")


def _match_full_name(
    entity: Entity, entity_full: set[tuple[str, str]], candidates: Sequence[KnownSpeaker]
) -> LinkDecision:
    exact = [c for c in candidates if entity_full & _full_names([c.name, *c.aliases])]
    if exact:
        # prefer the candidate whose own name is the entity's, if aliases matched several
        own = [c for c in exact if _full_names([c.name]) & _full_names([entity.name])]
        chosen = own if len(own) == 1 else exact
        if len(chosen) == 1:
            return LinkDecision(chosen[0].id, 0.95, "full-name")
        return LinkDecision(None, 0.0, "ambiguous")
    surnames = {last for _first, last in entity_full}
    same_surname = [c for c in candidates if surnames & _surnames(c)]
    conflicting = [c for c in same_surname if _full_names([c.name, *c.aliases])]
    bare = [c for c in same_surname if not _full_names([c.name, *c.aliases])]
    if len(bare) == 1 and not conflicting:
        return LinkDecision(bare[0].id, 0.7, "surname")
    return LinkDecision(None, 0.0, "conflict" if conflicting else "none")


def _match_organization(entity: Entity, candidates: Sequence[KnownSpeaker]) -> LinkDecision:
    keys = _organization_keys([entity.name, *entity.aliases])
    found = [c for c in candidates if keys & _organization_keys([c.name, *c.aliases])]
    if len(found) == 1:
        return LinkDecision(found[0].id, 0.9, "organization")
    return LinkDecision(None, 0.0, "ambiguous" if found else "none")


def _names(names: Sequence[str]) -> set[str]:
    return {n for n in (normalize_name(x) for x in names) if n}


def _organization_keys(names: Sequence[str]) -> set[str]:
    """"The White House" and "White House" are one key."""
    return {n.removeprefix("the ") for n in _names(names)}


def _full_names(names: Sequence[str]) -> set[tuple[str, str]]:
    """(first, last) of every name that has both; middle names and initials do not count, nor
    a title before the name ("campaign manager Tom Smith" is Tom Smith, not "Campaign Smith")."""
    pairs = set()
    for name in names:
        words = normalize_name(name).split()
        titles = [i for i, word in enumerate(words[:-1]) if word in _TITLE_WORDS]
        words = words[titles[-1] + 1:] if titles else words
        if len(words) > 1:
            pairs.add((words[0], words[-1]))
    return pairs


def _surname(name: str) -> str | None:
    words = normalize_name(name).split()
    return words[-1] if words else None


def _surnames(speaker: KnownSpeaker) -> set[str]:
    return {w[-1] for w in (normalize_name(n).split() for n in (speaker.name, *speaker.aliases)) if w}
