"""Within-article speaker resolution: a rule sieve over the spaCy parse.

For every quote, the source mention is mapped to an ``Entity`` of the article, in this order
(the first rule that answers wins; the confidence says which one did):

1. **names** (0.95): the mention contains a PERSON (or ORG/GPE/NORP) name. Person names are
   clustered: "Donald Trump", "Trump", "President Trump", "U.S. President Donald Trump" are one
   entity named "Donald Trump" (titles before a name are not part of it); a bare surname joins
   the full name that carries it, or, if two people share it ("John Smith", "Mary Smith"), the
   one mentioned last before it; "Mr. Obama" never joins "Michelle Obama" (nor "Mrs." a
   man's name): he is a person of his own, whom an untitled "Obama" then joins when he is
   the more mentioned. A known surname that spaCy did not tag ("Tester said") is a
   mention too. Party words are not part of a name ("Democrat Hillary Clinton"), a headline
   does not run a name into its next words ("Walter Hale Denies Report", "Obama Says"),
   business titles are not part of a name ("Wells Fargo CEO John Stumpf"), spaCy's one-word
   non-people ("Twitter", "the Clintons", "Brexit") are not persons, and a person the
   registry knows is named as the registry names them ("Joseph R. Biden Jr." -> "Joe Biden").
2. **relative pronouns** (0.9): "Abe, who calls the TPP ..." -> the noun the clause hangs on.
3. **descriptions** (0.8): "the U.S. president", "Japan's prime minister", "the former Florida
   governor" -> the entity whose title in the article ("U.S. President Donald Trump", "former
   Gov. Jeb Bush", "Carson campaign manager Barry Bennett") or apposition ("Larry Kudlow, the director of the National Economic
   Council") or, for the people ``config/people.json`` knows, whose role on the article's date
   ("Democratic front-runner", "Russian leader"; ``registry.py``) shares the head noun: most
   shared words, then fewest missing, ties to the most salient before it, like a pronoun. A
   qualified description of someone the article never names ("the Russian leader") is the one
   registry person holding that role that day; a description so resolved is a mention of
   its person for the pronouns after it. "a White House spokeswoman" -> the organisation it
   names; "the statement" -> the last named speaker before it; "Trump's tweet", "his
   statement", "Powell's office" -> their owner; "the institute" -> the organisation so named
   or so called; "the Russian government", "senior Japanese officials" -> the country (not
   "former" or "opposition officials", nor "American Airlines officials"). Indefinite ones ("some senators", "one pastor", "a
   doctor") are nobody in particular, unless an apposition names them; "the woman" only
   refers back to a woman.
4. **pronouns** (0.7): he/she -> the nearest preceding person, sentence by sentence backwards,
   preferring the main subject of a sentence over other subjects over other mentions, skipping
   persons inside quotations and the persons the cue clause names as its object or addressee
   ("he told Trump", "she said to Abe" are not Trump or Abe). "she" skips known male names and
   vice versa (honorifics, lists of first names). A same-gender pronoun subject on the way
   back passes on its own referent ("Trump attacked Romney. Then he turned to Rubio. He listed
   his wins": Trump). they/we -> an organisation named before it in the same sentence
   ("Verizon said they"), else nobody in particular (0.5). A writer's "I" outside quotation
   marks -> the signature after it or the closing bio line (letters, op-eds), else nobody.
5. **no source** (0.6): a quote paragraph with no cue continues the previous paragraph: the
   speaker of its last quote, else the subject of its last sentence.

Campaigns and administrations speak as organisations named after their person ("the Clinton
campaign", "her campaign", "the Sanders camp", "Mr. Sanders's aides" -> "Hillary Clinton
campaign" / "Bernie Sanders campaign"; "the Obama administration" -> "Barack Obama
administration"). Of namesakes, the campaign is the candidate's and the administration the
president's on the article's date ("Trump's team" in a story about Melania Trump); a bare
"the administration" is the one the article spoke of, else that of the U.S. president of the
day if the story names them (a university's is not).
Only a name that is part of the head counts ("Pagliano's lawyer" is not Pagliano); "IMF" and
"International Monetary Fund" are one cluster, and an organisation keeps the title words of
its name ("Justice Department") and is also known by the other usual form of it ("Department
of Justice", "Republican Party of Wyoming" for "Wyoming Republican Party").

The rules were developed on hand labels of PolNeAR *train* (``labels/speakers_train.tsv``),
so that the dev labels measure them; version 9 also took a few rules from reading dev mistakes
(the README says which, and what they add on each split).

With the mention ranker's weights shipped (``ranker.py``), ``SpeakerResolver`` lets it re-rank
the sieve's unsure answers for pronoun and description mentions (``mode="combined"``); the
modes "sieve" and "ranker" exist to measure each alone (``models.evaluation.speakers``).
"""
from __future__ import annotations

import re
from bisect import insort
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from models.nlp import parse_many
from models.pipeline import Stage
from models.speakers.names import (
    AFFILIATIONS,
    FEMALE_FIRST_NAMES,
    HONORIFICS,
    LOWER_CASE_TITLES,
    MALE_FIRST_NAMES,
    NOBODY_TAKEN_FOR_PEOPLE,
    ORGANIZATIONS_TAKEN_FOR_PEOPLE,
    QUALIFIERS,
    TITLE_WORDS,
    US_STATES,
    country_name,
    display_name,
    fold,
    name_tokens,
    organization_key,
    organization_variants,
    role_words,
    same_first_name,
    strip_possessive,
)
from models.speakers.registry import KnownPerson, PeopleRegistry
from models.types import Document, Entity, EntityKind, Quote, SpeakerAssignment

ENTITY_KINDS: dict[str, EntityKind] = {
    "PERSON": "person", "ORG": "organization", "GPE": "organization", "NORP": "group",
}
MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
PLURAL_PRONOUNS = {"they", "them", "we", "us", "their"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
PRONOUN_LOOKBACK_SENTENCES = 4
_PARAGRAPH = re.compile(r"[^\n]+")
MAX_PRONOUN_CHAIN = 3  # "he" may lean on an earlier "he" this many times
ADDRESSEE_PREPOSITIONS = {"to", "with"}  # "he said to Trump", "she spoke with Abe"
# Heads of definite descriptions that refer back to a person ("the Republican nominee").
PERSON_ROLE_WORDS = frozenset(
    """
    president nominee candidate senator governor congressman congresswoman businessman
    businesswoman mogul billionaire woman man lawmaker secretary minister leader chairman
    official spokesman spokeswoman director mayor judge justice ambassador attorney economist
    professor author founder executive ceo lawyer host reporter columnist activist analyst
    democrat republican politician candidate speaker rival opponent challenger incumbent
    """.split()
)
# Heads of a description that speak for the organisation they name ("a White House spokeswoman").
SPOKESPERSON_WORDS = frozenset(
    """
    spokesman spokeswoman spokesperson spokespeople statement official officials aide aides
    office representative representatives press secretary reporter report analysis data
    checker fact-checker
    campaign administration team staff
    """.split()
)

CONFIDENCE = {
    "campaign": 0.8, "name": 0.95, "relative": 0.9, "title": 0.8, "description": 0.8, "organization": 0.9, "pronoun": 0.7,
    "group": 0.5, "continuation": 0.6, "ranked": 0.75,
}


# Which resolver the pipeline runs: "sieve" alone, "ranker" for every pronoun/description
# mention, or "combined" (the ranker re-ranks the sieve's unsure answers). Issue 3 says to keep
# what measures better: on the labelled dev sample the sieve alone does (0.706 against 0.665
# combined and 0.556 ranker; ``python -m models.evaluation --sections speakers``).
DEFAULT_MODE = "sieve"


class SpeakerResolver(Stage):
    """The sieve, with the mention ranker for pronoun and description mentions when its
    weights are shipped and ``mode`` asks for it (see ``DEFAULT_MODE``)."""

    name = "rule-speakers"
    version = "10"
    role = "speakers"

    def __init__(self, mode: str = DEFAULT_MODE, ranker: Any = "auto",
                 registry: PeopleRegistry | None = None):
        # The registry is data, like the topic catalogue: not part of the version (the service
        # passes the registry editors keep through /v1/people with each batch).
        self.registry = registry if registry is not None else PeopleRegistry.shipped()
        if ranker == "auto":
            from models.speakers.ranker import MentionRanker

            ranker = MentionRanker.load_shipped() if mode != "sieve" else None
        self.mode = mode if ranker is not None else "sieve"
        self.ranker = ranker
        if ranker is not None:
            self.name, self.version = "speakers", f"sieve{self.version}+{ranker.version}"

    def preprocess(self, docs: list[Document], **context: Any) -> list[SpacyDoc]:
        return parse_many([doc.text for doc in docs])

    def postprocess(
        self, docs: list[Document], outputs: list[SpacyDoc], **context: Any
    ) -> list[Document]:
        registry = context.get("people") or self.registry  # the service passes its own
        for doc, parsed in zip(docs, outputs):
            resolve_speakers(doc, parsed, self.ranker, self.mode, registry)
        return docs


# ----------------------------------------------------------------------------------------------
# Clusters of names


@dataclass(eq=False)  # compared and hashed by identity
class _Cluster:
    key: str
    kind: EntityKind
    surface: list[str] = field(default_factory=list)  # every form seen, titles included
    tokens: list[str] = field(default_factory=list)  # canonical name words of the fullest name
    titles: list[str] = field(default_factory=list)
    background: list[str] = field(default_factory=list)  # roles the registry knows on the day
    known_name: str | None = None  # the registry's name for the person, when it knows them
    female: bool | None = None
    owner: _Cluster | None = None  # the person a campaign or an administration belongs to
    suffix: str = ""  # "campaign", "administration"

    @property
    def name(self) -> str:
        if self.kind != "person":  # "The White House" -> "White House"
            name = display_name(self.surface[0], person=False)
            return name[4:] if name.lower().startswith("the ") and len(name) > 4 else name
        if self.known_name:  # one name for a person in every article: "Joseph R. Biden Jr." and
            return self.known_name  # "Joe Biden" are both Joe Biden
        named = [_after_titles(display_name(s)) for s in self.surface]
        return max(named, key=lambda n: (len(name_tokens(n)), len(n)))

    def entity(self) -> Entity:
        name = self.name
        forms = self.surface + (organization_variants(name) if self.kind != "person" else [])
        aliases = tuple(dict.fromkeys(s for s in forms if s != name))
        return Entity(self.key, name, self.kind, aliases, tuple(dict.fromkeys(self.titles)))


@dataclass
class _Mention:
    start: int
    end: int
    root: Token
    cluster: _Cluster


class _Article:
    """The clusters and mentions of one article, and the lookups the rules need."""

    def __init__(self, text: str, parsed: SpacyDoc, quoted: list[tuple[int, int]],
                 registry: PeopleRegistry | None = None, day: date | None = None):
        self.text, self.parsed = text, parsed
        # undated: today, in UTC as the service dates the stored article
        self.registry, self.day = registry, day or datetime.now(timezone.utc).date()
        self.clusters: list[_Cluster] = []
        self.mentions: list[_Mention] = []
        self.quoted = quoted  # content fragments of direct quotes: mentions there don't count
        # (source offset, cluster) of the quotes resolved so far whose source names its speaker
        self.named_sources: list[tuple[int, _Cluster]] = []
        # (start, end, cluster, title) of appositions after a name ("Kudlow, the director")
        self.trailing_appositions: list[tuple[int, int, _Cluster, str]] = []
        self._build(parsed)
        if registry is not None:
            self._add_background()

    # -- building

    def _build(self, parsed: SpacyDoc) -> None:
        ents = [_trim_entity(e) for e in parsed.ents if e.label_ in ENTITY_KINDS]
        ents = _relabel_non_people([e for e in ents if e is not None])
        persons = [e for e in ents if e.label_ == "PERSON" and name_tokens(e.text)]
        persons = _trim_headline_names(persons, self.text, self.registry)
        # fullest names first, so that a bare surname finds the full name it belongs to; of
        # bare surnames, those with "Mr." or "Mrs." first, so that "Mr. Obama" starts his own
        # cluster beside "Michelle Obama" before an untitled "Obama" picks one of the two
        for ent in sorted(persons, key=lambda e: (-len(name_tokens(e.text)),
                                                  _honorific_gender(e) is None)):
            self._add_person(ent)
        for ent in ents:
            if ent.label_ == "PERSON" or not organization_key(ent.text):
                continue
            if self._is_known_surname(ent):  # the tagger sometimes calls "Trump" an ORG
                self._add_person(ent)
            else:
                self._add_organization(ent)
        self._add_missed_surnames(parsed)
        self.mentions.sort(key=lambda m: m.start)
        self._collect_appositions()

    def _add_background(self) -> None:
        """The registry's roles of the article's known people on its date, and their gender."""
        for cluster in self.clusters:
            if cluster.kind != "person":
                continue
            known = self.registry.find(cluster.tokens, cluster.female, self.day)
            if known is not None:
                cluster.background = known.roles_on(self.day)
                cluster.known_name = known.name
                if cluster.female is None:
                    cluster.female = known.female

    def person_known_as(self, known: KnownPerson) -> _Cluster:
        """The cluster of a registry person, created if the article never names them."""
        tokens = name_tokens(known.name)
        cluster = self._person_cluster(tokens, len(self.text))
        if cluster is None:
            cluster = _Cluster(f"e{len(self.clusters) + 1}", "person", surface=[known.name],
                               tokens=tokens, background=known.roles_on(self.day),
                               female=known.female, known_name=known.name)
            self.clusters.append(cluster)
        return cluster

    def named_holder(self, role: str) -> _Cluster | None:
        """The person the registry knows in ``role`` on the article's date, if the article
        names them."""
        known = self.registry.holder(role, self.day) if self.registry is not None else None
        if known is None:
            return None
        return next((c for c in self.clusters if c.kind == "person" and c.known_name == known.name
                     and any(m.cluster is c for m in self.mentions)), None)

    def add_described_mention(self, start: int, end: int, cluster: _Cluster) -> None:
        """A description resolved to a person is a mention of them for the pronouns after it:
        "The Russian leader said ... 'We will not bend,' he told reporters"."""
        span = self.parsed.char_span(start, end, alignment_mode="expand")
        if span is None or cluster.kind != "person":
            return
        insort(self.mentions, _Mention(start, end, span.root, cluster), key=lambda m: m.start)

    def _add_missed_surnames(self, parsed: SpacyDoc) -> None:
        """A known person's bare surname that spaCy did not tag ("Tester said") is a mention too,
        when only one person of the article bears it."""
        bearers: dict[str, list[_Cluster]] = {}
        for cluster in self.clusters:
            if cluster.kind == "person" and len(cluster.tokens) > 1:
                bearers.setdefault(cluster.tokens[-1], []).append(cluster)
        covered = {i for m in self.mentions for i in range(m.start, m.end)}
        common_words = {token.text for token in parsed if token.text.islower()}
        for token in parsed:
            word = fold(token.text)
            if (_may_be_name(token, common_words) and token.text[:1].isupper()
                    and token.idx not in covered
                    and len(bearers.get(word, ())) == 1):
                cluster = bearers[word][0]
                cluster.surface.append(token.text)
                self.mentions.append(_Mention(token.idx, token.idx + len(token.text), token, cluster))

    def _add_person(self, ent: SpacySpan) -> None:
        tokens = name_tokens(ent.text)
        cluster = self._person_cluster(tokens, ent.start_char, _honorific_gender(ent))
        if cluster is None:
            cluster = _Cluster(f"e{len(self.clusters) + 1}", "person", tokens=tokens)
            self.clusters.append(cluster)
        titled = self._titled_form(ent)
        cluster.surface.append(strip_possessive(titled.text))
        if titled.start < ent.start:
            cluster.titles.append(self.parsed[titled.start : ent.start].text)
        if ent[0].i > 0 and fold(ent.doc[ent[0].i - 1].text).strip(".") in {"mrs", "ms", "miss"}:
            cluster.female = True
        elif ent[0].i > 0 and fold(ent.doc[ent[0].i - 1].text).strip(".") == "mr":
            cluster.female = False
        if cluster.female is None and len(tokens) > 1:
            if tokens[0] in FEMALE_FIRST_NAMES:
                cluster.female = True
            elif tokens[0] in MALE_FIRST_NAMES:
                cluster.female = False
        self.mentions.append(_Mention(ent.start_char, ent.end_char, ent.root, cluster))

    def _person_cluster(
        self, tokens: list[str], offset: int, female: bool | None = None
    ) -> _Cluster | None:
        persons = [c for c in self.clusters if c.kind == "person"]
        same = [c for c in persons if c.tokens == tokens and c.female in (None, female)]
        if same:
            return same[0]
        if len(tokens) == 1:  # a bare surname (or first name): unambiguous, or latest before
            word = tokens[0]
            candidates = [c for c in persons if c.tokens[-1] == word] or [
                c for c in persons if c.tokens[0] == word
            ]
            if female is not None:  # "Mrs. Trump" is not Donald, "Mr. Obama" not Michelle
                candidates = [c for c in candidates if c.female in (None, female)]
            # Otherwise the bare surname is the article's main bearer of it: most mentioned.
            return max(candidates, key=self._mention_count) if candidates else None
        # "Donald J. Trump" and "Donald Trump", "Sandy Paradis" and "Sandra Paradis": same first
        # (or short first) and last name
        return next((c for c in persons if c.tokens[-1] == tokens[-1]
                     and same_first_name(c.tokens[0], tokens[0])), None)

    def _mention_count(self, cluster: _Cluster) -> int:
        return sum(m.cluster is cluster for m in self.mentions)

    def _is_known_surname(self, ent: SpacySpan) -> bool:
        tokens = name_tokens(ent.text)
        return len(tokens) == 1 and any(
            c.kind == "person" and len(c.tokens) > 1 and c.tokens[-1] == tokens[0]
            for c in self.clusters
        )

    def person_for_name(self, span: SpacySpan) -> _Cluster:
        """The cluster of a proper name the tagger missed, created if the name is new."""
        tokens = name_tokens(span.text) or [fold(span.text)]
        cluster = self._person_cluster(tokens, span.start_char)
        if cluster is None:
            cluster = _Cluster(f"e{len(self.clusters) + 1}", "person", tokens=tokens)
            self.clusters.append(cluster)
        cluster.surface.append(strip_possessive(span.text))
        return cluster

    def _latest_before(self, clusters: list[_Cluster], offset: int) -> _Cluster | None:
        before = [m for m in self.mentions if m.cluster in clusters and m.start < offset]
        return max(before, key=lambda m: m.start).cluster if before else None

    def _add_organization(self, ent: SpacySpan) -> None:
        kind = ENTITY_KINDS[ent.label_]
        cluster = self.organization_named(ent.text)
        if cluster is None:
            cluster = _Cluster(f"e{len(self.clusters) + 1}", kind)
            self.clusters.append(cluster)
        cluster.surface.append(strip_possessive(ent.text))
        self.mentions.append(_Mention(ent.start_char, ent.end_char, ent.root, cluster))

    def organization_named(self, name: str) -> _Cluster | None:
        """The article's organisation of that name or acronym, if any."""
        key = organization_key(name)
        return next((c for c in self.clusters
                     if c.kind != "person" and _same_organization(c, key)), None)

    def organization_of(self, person: _Cluster, kind: str) -> _Cluster:
        """The organisation "<name> <kind>" of a person ("Hillary Clinton campaign", "Barack Obama
        administration"; middle initials dropped), created on first use."""
        name = " ".join(w for w in person.name.split() if not _is_initial(w)) + f" {kind}"
        key = organization_key(name)
        for cluster in self.clusters:
            if cluster.kind == "organization" and organization_key(cluster.surface[0]) == key:
                return cluster
        cluster = _Cluster(f"e{len(self.clusters) + 1}", "organization", surface=[name],
                           owner=person, suffix=kind)
        self.clusters.append(cluster)
        return cluster

    def country(self, name: str) -> _Cluster:
        """The organisation cluster of a country ("Russia", "the U.S."), created if the article
        only names it by its demonym."""
        for cluster in self.clusters:  # not a group: "Russian" (the people) is not Russia
            if cluster.kind == "organization" and any(
                    country_name(organization_key(s)) == name
                    or display_name(s, person=False) == name for s in cluster.surface):
                return cluster
        cluster = _Cluster(f"e{len(self.clusters) + 1}", "organization", surface=[name])
        self.clusters.append(cluster)
        return cluster

    def known_person(self, word: str) -> _Cluster | None:
        """The person cluster a bare surname belongs to: the article's, else the registry's
        bearer of it on the article's date ("the Obama administration" in a story that never
        names him)."""
        tokens = name_tokens(word)
        if len(tokens) != 1:
            return None
        found = next((c for c in self.clusters if c.kind == "person" and c.tokens[-1] == tokens[0]),
                     None)
        if found is None and self.registry is not None:
            known = self.registry.find(tokens, day=self.day)
            found = self.person_known_as(known) if known is not None else None
        return found

    def most_mentioned_person(self, before: int) -> _Cluster | None:
        counts = Counter(m.cluster for m in self.mentions
                         if m.cluster.kind == "person" and m.start < before)
        persons = [c for c in self.clusters if c in counts]  # ties: the first cluster
        return max(persons, key=counts.__getitem__) if persons else None

    def _titled_form(self, ent: SpacySpan) -> SpacySpan:
        """The name with the title words just before it: "U.S. President Donald Trump", and
        the lower-case titles of news style when a role noun ends them ("Carson campaign
        manager Barry Bennett", "Republican presidential candidate Donald Trump"), but not
        other nouns ("Trump supporter John Smith")."""
        start = ent.start
        while start > 0:
            token = self.parsed[start - 1]
            if token.dep_ not in {"compound", "amod", "nmod"} or not (ent.start <= token.head.i < ent.end or start <= token.head.i < ent.start):
                break
            word = fold(token.text).strip(".")
            in_title = start < ent.start  # a title word is taken already: its modifiers follow
            if token.pos_ not in {"PROPN", "NOUN", "ADJ"} or not (
                token.text[:1].isupper() or word in HONORIFICS or word in LOWER_CASE_TITLES
                or (in_title and token.pos_ in {"NOUN", "ADJ"})
            ):
                break
            start -= 1
        return self.parsed[start : ent.end]

    def _collect_appositions(self) -> None:
        """"Larry Kudlow, the director of the NEC" and "the director, Larry Kudlow"."""
        for mention in self.mentions:
            if mention.cluster.kind != "person":
                continue
            root = mention.root
            for child in root.children:
                if child.dep_ == "appos" and child.pos_ == "NOUN":
                    title = self._subtree_text(child)
                    mention.cluster.titles.append(title)
                    self.trailing_appositions.append((
                        child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text),
                        mention.cluster, title))
            if root.dep_ == "appos" and root.head.pos_ == "NOUN":
                head = root.head
                mention.cluster.titles.append(
                    self.parsed[head.left_edge.i : head.i + 1].text
                )

    def _subtree_text(self, token: Token) -> str:
        return self.parsed[token.left_edge.i : token.right_edge.i + 1].text.strip(" ,")

    # -- lookups

    def mentions_in(self, start: int, end: int) -> list[_Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    def is_quoted(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.quoted)


def _may_be_name(token: Token, common_words: set[str]) -> bool:
    """A proper noun, or a capitalised subject the tagger took for a common noun ("Trump did
    rule out ...", sentence-initial, tagged NOUN) when the article never writes that word in
    lower case ("Price matters most" is not Mr. Price if the story also speaks of a price)."""
    if token.pos_ == "PROPN":
        return True
    return (token.pos_ == "NOUN" and token.dep_ in {"nsubj", "nsubjpass"}
            and token.text.lower() not in common_words)


def _same_organization(cluster: _Cluster, key: str) -> bool:
    """Same normalised name, or one is the other's acronym ("IMF", "International Monetary Fund")."""
    keys = {organization_key(s) for s in cluster.surface}
    return key in keys or any(_acronym(key, k) or _acronym(k, key) for k in keys)


def _acronym(short: str, long: str) -> bool:
    letters = short.replace(".", "").replace(" ", "")
    initials = "".join(w[0] for w in long.split() if w not in {"of", "for", "and", "the"})
    return 2 <= len(letters) <= 6 and " " not in short and letters == initials and len(long.split()) > 1


def _relabel_non_people(ents: list[SpacySpan]) -> list[SpacySpan]:
    """spaCy's one-word "people" that are not: "Twitter" speaks as an organisation, "the
    Clintons" (a surname of the article in the plural) as a group; "Brexit" is nobody."""
    surnames = {name_tokens(e.text)[-1] for e in ents
                if e.label_ == "PERSON" and len(name_tokens(e.text)) > 1}
    relabelled = []
    for ent in ents:
        word = fold(strip_possessive(ent.text))
        if ent.label_ != "PERSON" or " " in word:
            relabelled.append(ent)
        elif word in ORGANIZATIONS_TAKEN_FOR_PEOPLE:
            relabelled.append(SpacySpan(ent.doc, ent.start, ent.end, label="ORG"))
        elif word.endswith("s") and (word[:-1] in surnames or word[:-2] in surnames):
            relabelled.append(SpacySpan(ent.doc, ent.start, ent.end, label="NORP"))
        elif word not in NOBODY_TAKEN_FOR_PEOPLE:
            relabelled.append(ent)
    return relabelled


def _trim_headline_names(
    persons: list[SpacySpan], text: str, registry: PeopleRegistry | None
) -> list[SpacySpan]:
    """In a Title Case line (a headline), spaCy runs names into the words after them: "Donald
    Trump Rampages Against ...". Such a name is cut back to the longest start of it that ends
    in a surname the article uses outside Title Case lines ("Trump said"), or that is the full
    name of someone the registry knows."""
    in_body = [name_tokens(e.text) for e in persons if not _in_title_case_line(e, text)]
    known = {tuple(tokens) for tokens in in_body}
    surnames = {tokens[-1] for tokens in in_body}

    def is_name(tokens: list[str]) -> bool:
        return bool(tokens) and (tokens[-1] in surnames or (
            registry is not None and len(tokens) > 1 and registry.find(tokens) is not None))

    trimmed = []
    for ent in persons:
        if len(ent) > 1 and tuple(name_tokens(ent.text)) not in known and _in_title_case_line(ent, text):
            ent = next((ent[:k] for k in range(len(ent) - 1, 0, -1)
                        if is_name(name_tokens(ent[:k].text))), ent)
        trimmed.append(ent)
    return trimmed


def _in_title_case_line(span: SpacySpan, text: str) -> bool:
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    words = [w for w in text[line_start : line_end if line_end != -1 else len(text)].split()
             if w[:1].isalpha() and w.lower() not in _MINOR_WORDS]
    return len(words) >= 4 and all(w[:1].isupper() for w in words)


_MINOR_WORDS = frozenset("a an the and or but of in on at to for by with as from into vs".split())


_BEFORE_A_NAME = HONORIFICS | TITLE_WORDS | AFFILIATIONS | LOWER_CASE_TITLES


def _after_titles(name: str) -> str:
    """"DNC Chair Debbie Wasserman Schultz" -> "Debbie Wasserman Schultz": whatever precedes the
    last title or honorific word is part of the title."""
    words = name.split()
    titles = [i for i, w in enumerate(words[:-1]) if fold(w).strip(".,") in _BEFORE_A_NAME]
    return " ".join(words[titles[-1] + 1:]) if titles else name


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word.endswith(".")


def _honorific_gender(ent: SpacySpan) -> bool | None:
    if ent.start == 0:
        return None
    before = fold(ent.doc[ent.start - 1].text).strip(".")
    return True if before in {"mrs", "ms", "miss"} else False if before == "mr" else None


FUNCTION_POS = {"ADP", "DET", "PRON", "SCONJ", "CCONJ"}  # not AUX: "Will Hurd"


def _trim_entity(ent: SpacySpan) -> SpacySpan | None:
    """Drop leading words that are not names ("Hosting Abe" -> "Abe", "Among Latinos" ->
    "Latinos"), and for a person, whatever follows a possessive or a dash inside the entity
    ("Cruz's Iowa" -> "Cruz", "Deborah Reynolds - Santilli" -> "Deborah Reynolds"). No name
    runs over a line break: a headline's last word glued to the body's first name ("Taxes\n\n
    Hale") leaves the name."""
    start, end = ent.start, ent.end
    doc = ent.doc
    breaks = [t.i for t in ent if "\n" in t.text or "\n" in t.whitespace_]
    if breaks:
        start = breaks[-1] + 1  # the part after the last break
    while start < end and doc[start].pos_ != "PROPN" and (
        not doc[start].text[:1].isupper() or doc[start].pos_ in FUNCTION_POS
    ):
        start += 1
    if ent.label_ == "PERSON":
        # "Hosting Abe at his resort, ...": a sentence-initial gerund is not a first name
        while start < end - 1 and (
            doc[start].pos_ == "VERB"
            or (doc[start].is_sent_start and doc[start].lower_.endswith("ing"))
        ):
            start += 1
        cut = next((t.i for t in doc[start:end] if t.i > start and (
            t.tag_ == "POS" or t.text in {"(", ","}
            # a spaced dash ends the name; "Ki-moon" and "Lopez-Cantera" keep theirs
            or (t.text in {"-", "–", "—"} and doc[t.i - 1].whitespace_))), None)
        if cut is not None:
            end = cut + 1 if doc[cut].tag_ == "POS" else cut
    if start >= end:
        return None
    if (start, end) == (ent.start, ent.end):
        return ent
    return SpacySpan(doc, start, end, label=ent.label_)


# ----------------------------------------------------------------------------------------------
# The sieve


def resolve_speakers(
    doc: Document, parsed: SpacyDoc, ranker: Any = None, mode: str = "sieve",
    registry: PeopleRegistry | None = None,
) -> Document:
    quoted = [
        (f.start, f.end) for q in doc.quotes if q.type == "direct" for f in q.fragments()
    ]
    article = _Article(doc.text, parsed, quoted, registry, doc.published_at)
    used: dict[str, _Cluster] = {}
    for index, quote in enumerate(doc.quotes):
        found = _resolve_quote(article, doc.quotes, index)
        if ranker is not None and quote.source is not None:
            found = _rerank(article, quote, found, ranker, mode)
        if found is not None and found[1] in NAMED_RULES and quote.source is not None:
            article.named_sources.append((quote.source.start, found[0]))
        if found is None:
            quote.speaker = None
            continue
        cluster, rule = found
        used[cluster.key] = cluster
        quote.speaker = SpeakerAssignment(cluster.key, CONFIDENCE[rule])
        if rule == "title" and quote.source is not None:
            article.add_described_mention(quote.source.start, quote.source.end, cluster)
    doc.entities = [cluster.entity() for cluster in used.values()]
    return doc


# The sieve's answers that the ranker never overrides: the mention names its speaker, or a
# relative pronoun's clause or a title shared with a name settles it.
NAMED_RULES = {"name", "organization"}
SURE_RULES = NAMED_RULES | {"relative", "title", "campaign"}


def _rerank(
    article: _Article, quote: Quote, found: tuple[_Cluster, str] | None, ranker: Any, mode: str
) -> tuple[_Cluster, str] | None:
    """Pronoun and description mentions go to the ranker. In "combined" mode the ranker only
    re-ranks an answer the sieve gave without being sure: it never learned to abstain (its
    training mentions all have an antecedent), so the sieve's abstentions stand."""
    if found is not None and found[1] in NAMED_RULES:
        return found
    if mode == "combined" and (found is None or found[1] in SURE_RULES):
        return found
    span = article.parsed.char_span(quote.source.start, quote.source.end, alignment_mode="expand")
    if span is None or not len(span) or not ranker.handles(span):
        return found
    sieve_choice = found[0] if found is not None else None
    choice = ranker.choose(article, span, sieve_choice)
    if choice is None:
        return found if mode == "combined" else None
    return choice, "ranked"


def _resolve_quote(
    article: _Article, quotes: list[Quote], index: int
) -> tuple[_Cluster, str] | None:
    quote = quotes[index]
    if quote.source is not None:
        return resolve_mention(article, quote.source.start, quote.source.end, quote)
    if quote.cue is None:
        return _continuation(article, quotes, index)
    return None


def resolve_mention(
    article: _Article, start: int, end: int, quote: Quote | None = None
) -> tuple[_Cluster, str] | None:
    span = article.parsed.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    inside = article.mentions_in(span.start_char, span.end_char)
    # 0. organisations named after a person: "the Clinton campaign", "the Obama administration"
    kind = _personal_organization(article, span)
    found = _personal_organization_of(article, span, inside, kind) if kind else None
    if found is not None:
        return found
    # 1. names: the name the mention is about, then any person, then any organisation
    for mention in inside:
        if mention.root.i == root.i or mention.start <= root.idx < mention.end:
            return mention.cluster, "name" if mention.cluster.kind == "person" else "organization"
    persons = [m for m in inside if m.cluster.kind == "person"]
    if persons and root.pos_ == "PROPN":
        return persons[0].cluster, "name"
    # "Powell's office", "Trump's tweet", "his statement" speak for their owner...
    if root.lemma_.lower() in OWNED_VOICES:
        owner = _possessor(article, root, inside, quote)
        if owner is not None:
            return owner, "name"
    # ...but only a name that is part of the head counts otherwise: "Pagliano's lawyer" is not
    # Pagliano, and "a woman at one of Trump's rallies" is not Trump.
    persons = [m for m in persons if _names_the_head(m, root)]
    if root.tag_ == "NNS" and root.pos_ == "NOUN":  # "Clinton supporters" are not Clinton
        persons = [m for m in persons if m.root.i == root.i]
    # "the statement", "the letter": its author, the speaker named last before it
    if (root.lemma_.lower() in DOCUMENT_HEADS and span[0].lower_ in {"the", "this", "that"}
            and not inside):  # "The White House statement" is the White House's
        authors = [c for offset, c in article.named_sources if offset < span.start_char]
        if authors:
            return authors[-1], "description"
    lower = root.lower_
    # 2. relative pronouns: the noun their clause modifies
    if lower in RELATIVE_PRONOUNS and root.head.dep_ == "relcl":
        noun = root.head.head
        if noun.dep_ == "appos" and noun.pos_ == "NOUN":  # "Harold Doley, a banker who": Doley
            noun = noun.head
        found = resolve_mention(article, noun.left_edge.idx, noun.idx + len(noun.text), quote)
        if found is not None:
            return found[0], "relative"
        if noun.pos_ == "NOUN":  # "voters who ...": nobody in particular
            return None
    if lower in {"who", "whom"}:  # the parse missed the clause: the person just before
        return _nearest(article, root, {"person"}, "relative", same_sentence_only=True)
    # 4. pronouns
    if root.pos_ == "PRON":
        return _pronoun(article, root, quote)
    # "the Russian government", "Chinese officials": the country speaks
    country = _government_of(article, span)
    if country is not None:
        return country, "organization"
    # 3. descriptions; an indefinite one ("some senators", "one pastor") is nobody in particular
    # unless an apposition names it ("One pastor supporting Cruz, Darran Whiting, said")
    if _is_indefinite(span) and root.lemma_.lower() not in SPOKESPERSON_WORDS:
        named = _apposition_name(article, span)
        return (named, "name") if named is not None else None
    described = _description(article, span) or _known_holder(article, span)
    if described is not None:
        return described, "title"
    if root.pos_ == "PROPN":  # a name the tagger did not see
        # the root's words within the source span (its left edge may lie before the span)
        name = span[max(root.left_edge.i, span.start) - span.start : root.i - span.start + 1]
        acronym = root.text.replace(".", "")
        known = article.organization_named(acronym) if acronym.isupper() else None
        if known is not None:  # "the RJC" after "Republican Jewish Coalition"
            return known, "organization"
        return article.person_for_name(name), "name"
    if persons:
        return persons[0].cluster, "name"
    organizations = [m for m in inside if m.cluster.kind == "organization"]
    if organizations and root.lemma_.lower() in SPOKESPERSON_WORDS:
        return organizations[0].cluster, "organization"
    # "the Republican nominee", "the bank": a definite description refers back like a pronoun
    if span[0].lower_ in {"the", "this"} and root.tag_ == "NN":
        if root.lemma_.lower() in PERSON_ROLE_WORDS or described_as_person(root):
            female = described_gender(root)
            return _nearest(article, root, {"person"}, "description",
                            compatible=lambda cluster: female is None or cluster.female in (None, female))
        found = _organization_description(article, span)
        return (found, "description") if found is not None else None
    return None


def _organization_description(article: _Article, span: SpacySpan) -> _Cluster | None:
    """"the institute" -> the latest organisation whose name holds the head ("Public Policy
    Institute of California") or that the text calls so ("Family Circle magazine"), else the
    nearest organisation, like a pronoun. (Restricting "the company" to spaCy's ORG entities and
    "the state" to its GPE entities measured worse on the train labels: spaCy's entity labels are
    too noisy for that.)"""
    head = span.root.lemma_.lower()
    before = [m for m in article.mentions if m.end <= span.start_char and m.cluster.kind != "person"]
    if head == "state":  # "the state" is the U.S. state named last ("Flint" is not one; in
        # U.S. political copy "Washington" is the capital)
        states = [m for m in before
                  if organization_key(m.cluster.surface[0]) in US_STATES - {"washington"}]
        if states:
            return states[-1].cluster
    for mention in reversed(before):
        named = {fold(w).strip(".,'") for s in mention.cluster.surface for w in s.split()}
        following = fold(article.text[mention.end : mention.end + len(head) + 3]).split()
        if head in named or (following and following[0].strip(".,;:") == head):
            return mention.cluster
    found = _nearest(article, span.root, {"organization"}, "description")
    return found[0] if found is not None else None


DOCUMENT_HEADS = frozenset("statement letter column email memo tweet release editorial note".split())
# What speaks with its owner's voice: "Trump's tweet", "his book", "Powell's office".
OWNED_VOICES = DOCUMENT_HEADS | {"office", "book", "message", "website", "account", "post"}


def _possessor(
    article: _Article, head: Token, inside: list[_Mention], quote: Quote | None
) -> _Cluster | None:
    """Whose the head is: a named possessor ("Trump's"), a possessive pronoun ("his"), or a
    capitalised possessor spaCy did not tag as a name ("Hurt's")."""
    owner = next((t for t in head.children if t.dep_ == "poss"), None)
    if owner is None:
        return None
    named = next((m.cluster for m in inside if m.root.i == owner.i), None)
    if named is not None:
        return named
    if owner.pos_ == "PRON":
        found = _pronoun(article, owner, quote)
        return found[0] if found is not None else None
    return article.known_person(owner.text) if owner.text[:1].isupper() else None
CAMPAIGN_STAFF = {"aide", "spokesman", "spokeswoman", "spokesperson", "official", "adviser", "advisor"}
# Heads of organisations that speak for one person and are named after them.
PERSONAL_ORGANIZATIONS = {
    "campaign": "campaign", "camp": "campaign", "team": "campaign",
    "administration": "administration",
}


def _personal_organization(article: _Article, span: SpacySpan) -> str | None:
    """"the Clinton campaign", "her campaign", "the Sanders camp", "a Trump campaign aide",
    "Mr. Sanders's aides" (in a campaign story) -> "campaign"; "the Obama administration",
    "Trump administration officials" -> "administration". "Apple's legal team" is not one."""
    root = span.root
    lemma = root.lemma_.lower()
    words = {t.lower_ for t in span}
    if lemma == "team" and any(t.dep_ in {"amod", "compound"} and t.pos_ != "PROPN" for t in span):
        return None
    if lemma in PERSONAL_ORGANIZATIONS:
        return PERSONAL_ORGANIZATIONS[lemma]
    if lemma not in CAMPAIGN_STAFF or root.tag_ != "NNS":
        return None
    if "administration" in words:
        return "administration"
    return "campaign" if "campaign" in words or "campaign" in article.text.lower() else None


def _personal_organization_of(
    article: _Article, span: SpacySpan, inside: list[_Mention], kind: str
) -> tuple[_Cluster, str] | None:
    """The organisation "<name> <kind>" of the person it belongs to: the person named in the
    mention (spaCy sometimes tags "Clinton campaign" as one ORG: its surname still counts), else
    the possessive pronoun's referent; for a bare "the campaign", the campaign the article
    already spoke of, else its most mentioned person. None when the mention names an
    organisation and no person ("The Food and Drug Administration", "the Greenpeace campaign"):
    the name rule takes it."""
    owner = next((m.cluster for m in inside if m.cluster.kind == "person"), None)
    if owner is None:  # spaCy tags "Sanders’ campaign" as a plural noun: a capital still counts
        owner = next((c for t in span if t.i != span.root.i
                      and (t.pos_ == "PROPN" or _capitalized_modifier(t))
                      for c in [article.known_person(t.text)] if c is not None), None)
    if owner is None and any(m.cluster.kind != "person" for m in inside):
        return None
    possessive = next((t for t in span if t.dep_ == "poss" and t.pos_ == "PRON"), None)
    if owner is None and possessive is not None:
        # "his campaign": the nearest candidate he can be, before the nearest man at all (a
        # pollster quoted in between has no campaign)
        found = _seeking_pronoun(article, possessive, kind) or _pronoun(article, possessive, None)
        owner = found[0] if found is not None else None
    if owner is not None and owner.kind == "person":
        owner = _office_seeker(article, owner, kind)
    if owner is None and span.root.lemma_.lower() == kind:  # "the campaign", "the administration"
        spoken_of = [c for c in article.clusters if c.owner is not None and c.suffix == kind]
        if spoken_of:
            return spoken_of[-1], "campaign"
        if kind == "campaign":
            owner = article.most_mentioned_person(before=span.start_char)
        elif len(span) == 2 and span[0].lower_ == "the":  # unqualified: the federal one, in
            owner = article.named_holder(HEAD_OF_ADMINISTRATION)  # a story that names its head
    if owner is None or owner.kind != "person":
        return None
    return article.organization_of(owner, kind), "campaign"


def _capitalized_modifier(token: Token) -> bool:
    return token.dep_ in {"poss", "compound"} and token.text[:1].isupper() and token.i > 0


HEAD_OF_ADMINISTRATION = "U.S. president"  # whose "the administration" is, on the day
# The roles that make a person the one a "campaign" or an "administration" belongs to.
OFFICE_SEEKING = {"campaign": ("candidate", "nominee", "front-runner"),
                  "administration": ("president", "governor", "mayor")}


def _seeking_pronoun(article: _Article, pronoun: Token, kind: str) -> tuple[_Cluster, str] | None:
    if pronoun.lower_ not in MALE_PRONOUNS | FEMALE_PRONOUNS:
        return None
    female = pronoun.lower_ in FEMALE_PRONOUNS
    return _nearest(article, pronoun, {"person"}, "pronoun", compatible=lambda cluster: (
        cluster.female in (None, female) and _seeks_office(cluster, kind)))


def _seeks_office(person: _Cluster, kind: str) -> bool:
    """Known on the article's date in a role that has a campaign (or an administration)."""
    return any(_holds(person, word) for word in OFFICE_SEEKING.get(kind, ()))


def _holds(person: _Cluster, role_word: str) -> bool:
    """Whole words: a "presidential candidate" is no president."""
    return any(role_word in role.lower().split() for role in person.background)


def _office_seeker(article: _Article, owner: _Cluster, kind: str) -> _Cluster:
    """"Trump's team" in a story mostly about Melania Trump is still Donald Trump's campaign:
    of the article's people with the owner's surname, the one the registry knows as a candidate
    (for a campaign) or an executive (for an administration) on the article's date."""
    namesakes = [owner] + [c for c in article.clusters if c.kind == "person"
                           and c is not owner and c.tokens[-1:] == owner.tokens[-1:]]
    for word in OFFICE_SEEKING.get(kind, ()):  # a president's administration before a governor's
        for person in namesakes:
            if _holds(person, word):
                return person
    return owner


def _names_the_head(mention: _Mention, root: Token) -> bool:
    """The name is the head or modifies it directly ("Clinton aides", "Sen. Cruz"), not through a
    possessive, a preposition or a clause."""
    token = mention.root
    for _ in range(8):
        if token.i == root.i:
            return True
        if token.dep_ not in {"compound", "appos", "nmod", "amod", "flat"}:
            return False
        token = token.head
    return False


QUANTIFIERS = frozenset(
    "some many most several few various numerous other others all both two three four five "
    "a an one another".split()
)


GOVERNMENT_HEADS = frozenset("government authority official ministry regime".split())
GOVERNMENT_RANKS = frozenset("senior top high-ranking other two three several".split())


def _government_of(article: _Article, span: SpacySpan) -> _Cluster | None:
    """The country whose government, ministry or officials the description names: the
    article's own mention of it ("Russia", "the U.S."), else a new organisation by its name.
    Not "former officials", who no longer speak for it."""
    root = span.root
    if root.lemma_.lower() not in GOVERNMENT_HEADS:
        return None
    countries = [t for t in span if t.head.i == root.i and country_name(t.text)
                 and t.dep_ in {"amod", "compound", "poss", "nmod"}]
    # nothing else but a determiner or a rank: "American Airlines officials", "Russian
    # opposition officials", "retired U.S. officials" do not speak for the country
    others = [t for t in span if t.i != root.i and t not in countries and t.pos_ != "DET"
              and t.dep_ != "case" and t.lower_ not in GOVERNMENT_RANKS]
    if len(countries) != 1 or others:
        return None
    return article.country(country_name(countries[0].text))


def _is_indefinite(span: SpacySpan) -> bool:
    """"some senators", "many Democratic officials", "one pastor", "a doctor"."""
    return span[0].lower_ in QUANTIFIERS and span.root.pos_ in {"NOUN", "NUM", "ADJ"}


def _apposition_name(article: _Article, span: SpacySpan) -> _Cluster | None:
    """The person named right after the description, in apposition."""
    for child in span.root.children:
        if child.dep_ == "appos":
            found = [m for m in article.mentions_in(child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text))
                     if m.root.i == child.i]  # not "a friend of Ted Cruz"
            if found and found[0].cluster.kind == "person":
                return found[0].cluster
    after = [m for m in article.mentions if 0 <= m.start - span.end_char <= 3
             and article.text[span.end_char:m.start].strip() in {",", ""}]
    return after[0].cluster if after and after[0].cluster.kind == "person" else None


def described_as_person(root: Token) -> bool:
    """"the actor", "the moderator", "the columnist", "the businessman": heads that name people."""
    lemma = root.lemma_.lower()
    return lemma.endswith(("man", "woman", "ist", "er", "or", "ian")) and lemma not in NOT_PEOPLE


NOT_PEOPLE = frozenset(
    """
    paper newspaper center centre order number letter computer matter chapter quarter
    door floor color colour sector factor motor mirror error labor labour tenor vector
    corridor harbor harbour behavior behaviour favor favour honor honour rumor rumour
    """.split()
)
FEMALE_HEADS = frozenset("woman wife mother daughter sister girl lady widow".split())
MALE_HEADS = frozenset("man husband father son brother boy widower".split())


def described_gender(root: Token) -> bool | None:
    """True for "the woman", "the congresswoman", False for "the man", "her husband"."""
    lemma = root.lemma_.lower()
    if lemma in FEMALE_HEADS or lemma.endswith("woman"):
        return True
    if lemma in MALE_HEADS:  # not "-man": "the chairman", "the spokesman" may be women
        return False
    return None


def _nearest(
    article: _Article, anchor: Token, kinds: set[str], rule: str, same_sentence_only: bool = False,
    compatible=lambda cluster: True, chain: frozenset[str] = frozenset(), depth: int = 0,
) -> tuple[_Cluster, str] | None:
    """The most salient preceding mention of the given kinds, sentence by sentence back.

    The cue's own object ("he told Trump") is never the speaker; ``compatible`` filters the
    rest (a pronoun's gender). Pronouns in ``chain`` compete with the names: in "Trump attacked
    Romney. Then he turned to Rubio. He listed his wins", the second "he" is the subject of the
    sentence before, so it takes that pronoun's referent (Trump), not the object named there."""
    excluded = _clusters_named_by_cue(article, anchor)
    for sentence in _sentences_back(article, anchor):
        end = min(sentence.end_char, anchor.idx)
        candidates: list[_Mention | Token] = [
            m
            for m in article.mentions
            if sentence.start_char <= m.start < end
            and m.cluster.kind in kinds
            and m.cluster not in excluded
            and not article.is_quoted(m.start)
            and compatible(m.cluster)
        ]
        if depth < MAX_PRONOUN_CHAIN:
            candidates += [
                t for t in sentence
                if t.lower_ in chain and t.idx < end and t.dep_ in {"nsubj", "nsubjpass"}
                and not article.is_quoted(t.idx)
            ]
        if candidates:
            best = min(candidates, key=lambda c: _salience(c, sentence))
            if isinstance(best, Token):
                found = _nearest(article, best, kinds, rule, compatible=compatible, chain=chain,
                                 depth=depth + 1)
                if found is not None and found[0] not in excluded:
                    return found
                continue
            return best.cluster, rule
        if same_sentence_only:
            return None
    return None


def _description(article: _Article, span: SpacySpan) -> _Cluster | None:
    """The person whose title fits the description best: the most shared words, then the fewest
    words the description lacks ("the president" is the president, not the president-elect),
    then the latest mention. Titles come from the article and, for the people the registry
    knows, from their roles on the article's date."""
    head = span.root.lemma_.lower()
    words = role_words(span.text)
    # A source that is itself an apposition after a name was misparsed: "with Mika Brzezinski,
    # the Democratic presidential candidate stated" does not make Brzezinski the candidate.
    misparsed = {(id(cluster), title) for start, end, cluster, title in article.trailing_appositions
                 if start < span.end_char and span.start_char < end}
    best, best_score = [], (0, 0)
    holders = []  # whom the registry knows in a fitting role on the article's date
    for cluster in article.clusters:
        if cluster.kind != "person":
            continue
        titles = [(t, False) for t in cluster.titles if (id(cluster), t) not in misparsed]
        titles += [(t, True) for t in cluster.background]
        profile = frozenset().union(*(role_words(t) for t, _ in titles))
        for title, from_registry in titles:
            score = _title_score(head, words, role_words(title), profile, from_registry)
            if from_registry and score[0]:
                holders.append(cluster)
            if score > best_score:
                best, best_score = [cluster], score
            elif score == best_score and score[0] and cluster not in best:
                best.append(cluster)
    if not best:
        return None
    # "Governor Bush" and "Governor Kasich" fit "the governor" alike; in 2016 only Kasich is one
    best = [c for c in best if c in holders] or best
    if len(best) == 1:
        return best[0]
    # several fit as well ("the candidate"): the most salient of them before, like a pronoun
    nearest = _nearest(article, span.root, {"person"}, "title", compatible=best.__contains__)
    return nearest[0] if nearest else article._latest_before(best, span.start_char) or best[0]


def _title_score(
    head: str, words: frozenset[str], title_words: frozenset[str], profile: frozenset[str],
    from_registry: bool,
) -> tuple[int, int]:
    """(shared words, -other words the title has); (0, 0) unless the title holds the head.

    The title must not contradict the description either: every party, country or state the
    description names must be the person's (``profile``: the words of all their titles and
    roles; "the independent Vermont senator" is Sanders, whose roles say both, and "the
    Russian president" is not "President Barack Obama"), and a registry role must agree on
    "former" ("the former president" is not the sitting one)."""
    if head not in title_words or (words & QUALIFIERS) - profile:
        return (0, 0)
    if from_registry and ("former" in words) != ("former" in title_words):
        return (0, 0)
    # a country, party or state the description leaves out is no mismatch ("the senator" fits
    # "Vermont senator" as well as "Sen."); other missing words are ("president-elect")
    return (len(words & title_words), -len(title_words - words - QUALIFIERS))


def _known_holder(article: _Article, span: SpacySpan) -> _Cluster | None:
    """"The U.S. president" in an article that never names him: the one person whom the
    registry knows, on the article's date, in a role that says all the description says and
    least else ("the GOP nominee" in 2016 is Trump, not the 2012 Republican nominee). Only
    for definite descriptions qualified beyond their head ("the Russian leader", not "the
    president"), so that nobody is brought in on a bare title."""
    if article.registry is None or span[0].lower_ != "the":
        return None
    head = span.root.lemma_.lower()
    words = role_words(span.text)
    # qualified: "the Russian ...", "the U.S. ...", "the former ...", "the 2012 ..."; not "the
    # president-elect" or "the commander in chief"
    qualified = any(t.i != span.root.i and t.pos_ != "DET" and (
        t.text[:1].isupper() or t.like_num or fold(t.text) in QUALIFIERS | {"former"})
        for t in span)
    if not qualified or head not in words:
        return None
    best: dict[str, KnownPerson] = {}
    best_score = (0, 0)
    for known in article.registry.people:
        roles = known.roles_on(article.day)
        profile = frozenset().union(*map(role_words, roles))
        for role in roles:
            title_words = role_words(role)
            score = _title_score(head, words, title_words, profile, from_registry=True)
            if not words <= title_words or not score[0] or score < best_score:
                continue
            if score > best_score:
                best, best_score = {}, score
            best[known.name] = known
    # the best fit must be one person: "the former president" in 2016 is Bush or Clinton
    return article.person_known_as(next(iter(best.values()))) if len(best) == 1 else None


def _pronoun(article: _Article, pronoun: Token, quote: Quote | None) -> tuple[_Cluster, str] | None:
    lower = pronoun.lower_
    if lower in PLURAL_PRONOUNS:  # "Verizon said they would", else nobody in particular
        return _nearest(article, pronoun, {"organization"}, "group", same_sentence_only=True)
    if lower in MALE_PRONOUNS | FEMALE_PRONOUNS:
        female = lower in FEMALE_PRONOUNS
        # Nobody in the sentences before: no answer. (Falling back on the article's most
        # mentioned person of that gender measured +7 on the train labels but -1 on dev.)
        return _nearest(article, pronoun, {"person"}, "pronoun",
                        compatible=lambda cluster: cluster.female in (None, female),
                        chain=frozenset({"she"} if female else {"he"}))
    if lower == "it":
        return _nearest(article, pronoun, {"organization"}, "group")
    if lower in FIRST_PERSON and not article.is_quoted(pronoun.idx):
        author = _author(article, pronoun.idx)
        return (author, "name") if author is not None else None
    return None  # "you": nobody in particular outside the quote itself


FIRST_PERSON = {"i", "me", "my"}


def _author(article: _Article, offset: int) -> _Cluster | None:
    """The writer of an op-ed or a letter, who says "I" outside quotation marks: the signature
    line after it (a paragraph that is just a name: "Daniel Hamilton."), else the closing bio
    ("Rick Scott is the Republican governor of Florida."). None when the article names no
    author (a columnist's own "I")."""
    text = article.text
    paragraphs = [match.span() for match in _PARAGRAPH.finditer(text)]
    for start, end in paragraphs:
        if end <= offset:
            continue
        body = text[start:end].strip().rstrip(".")
        names = [m for m in article.mentions_in(start, end) if m.cluster.kind == "person"]
        if names and len(body.split()) <= 5 and names[0].end - names[0].start >= len(body) - 2:
            return names[0].cluster
    if paragraphs:
        start, end = paragraphs[-1]
        names = [m for m in article.mentions_in(start, end) if m.cluster.kind == "person"]
        if names and names[0].start - start <= 1 and text[names[0].end:].startswith(" is "):
            return names[0].cluster
    return None


def _salience(mention: _Mention | Token, sentence: SpacySpan) -> tuple[int, int]:
    """Main subject first, then other subjects, then the rest; within a rank, the leftmost."""
    if isinstance(mention, Token):
        root, start = mention, mention.idx
    else:
        root, start = mention.root, mention.start
    if root.dep_ in {"nsubj", "nsubjpass"} and root.head.i == sentence.root.i:
        rank = 0
    elif root.dep_ in {"nsubj", "nsubjpass"}:
        rank = 1
    else:
        rank = 2
    return rank, start


def _clusters_named_by_cue(article: _Article, pronoun: Token) -> set[int]:
    """The clusters named as object or addressee of the pronoun's own verb ("he told Trump",
    "she said to Abe" -> not the speaker). Other prepositional phrases do not exclude anybody:
    in "In Sherman's speech, she cited ..." Sherman is the speaker."""
    verb = pronoun.head
    objects = [
        c for c in verb.children
        if c.i != pronoun.i and (
            c.dep_ in {"dobj", "dative", "iobj"}
            or (c.dep_ == "prep" and c.lower_ in ADDRESSEE_PREPOSITIONS)
        )
    ]
    named: set = set()
    for obj in objects:
        for mention in article.mentions_in(obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge.text)):
            if _names_the_object(mention.root, obj):
                named.add(mention.cluster)
    return named  # type: ignore[return-value]


# Links inside one noun phrase: "Japanese Prime Minister Shinzo Abe", "Abe and Trump", "to Abe",
# "Trump's aides". A clause hanging from the object ("a proposal Mr. Khan has called bigoted")
# names someone else, who may well be the speaker.
_OBJECT_PHRASE_LINKS = {"compound", "poss", "appos", "conj", "amod", "nmod", "pobj"}


def _names_the_object(root: Token, obj: Token) -> bool:
    token = root
    while token.i != obj.i:
        if token.dep_ not in _OBJECT_PHRASE_LINKS or token.head.i == token.i:
            return False
        token = token.head
    return True


def _sentences_back(article: _Article, token: Token) -> Iterable[SpacySpan]:
    """The token's sentence, then up to PRONOUN_LOOKBACK_SENTENCES narrative sentences before
    it. Sentences inside a direct quote are passed through without counting: they hold no
    candidate, and a long quote ('"Uh, no. I don't think ... . This is about me," she said')
    would otherwise use up the window before reaching the narrator's sentence that names her."""
    parsed = article.parsed
    sentence = token.sent
    yield sentence
    counted = 0
    while counted < PRONOUN_LOOKBACK_SENTENCES and sentence.start > 0:
        sentence = parsed[sentence.start - 1].sent
        yield sentence
        counted += not _wholly_quoted(article, sentence)


def _wholly_quoted(article: _Article, sentence: SpacySpan) -> bool:
    words = [t for t in sentence if not (t.is_punct or t.is_space)]
    return bool(words) and all(article.is_quoted(t.idx) for t in words)


def _continuation(
    article: _Article, quotes: list[Quote], index: int
) -> tuple[_Cluster, str] | None:
    """A quote with no cue continues the voice just before it: the same paragraph if the quote
    does not open it, else the paragraph above. That voice is the speaker of the last quote
    there, else the main subject of the last sentence there."""
    quote = quotes[index]
    text = article.text
    context_end = quote.content.start - 1  # the opening quotation mark
    para_start = text.rfind("\n", 0, quote.content.start) + 1
    if not text[para_start:context_end].strip():
        context_end = para_start - 1
        while context_end > 0 and text[context_end - 1].isspace():
            context_end -= 1
        if context_end <= 0:
            return None
        para_start = text.rfind("\n", 0, context_end) + 1
    earlier = [
        i for i, q in enumerate(quotes[:index]) if para_start <= q.content.start < context_end
    ]
    for i in reversed(earlier):
        found = _resolve_quote(article, quotes, i)
        if found is not None:
            return found[0], "continuation"
    last = article.parsed.char_span(context_end - 1, context_end, alignment_mode="expand")
    if last is None or not len(last):
        return None
    sentence = last[0].sent
    subjects = [t for t in sentence if t.dep_ in {"nsubj", "nsubjpass"} and t.head.i == sentence.root.i]
    for subject in subjects:
        found = resolve_mention(
            article, subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text)
        )
        if found is not None and found[0].kind == "person":
            return found[0], "continuation"
    return None
