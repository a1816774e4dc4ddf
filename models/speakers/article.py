"""The people and organisations an article names: its parse, read as clusters of name mentions.

``ParsedArticle`` takes the spaCy parse of one article and builds what the sieve
(``sieve.py``) resolves mentions against:

* **clusters** (``Cluster``): one per person or organisation. Person names are clustered by
  their tokens: "Donald Trump", "Trump", "President Trump" are one cluster named "Donald
  Trump", titles before a name kept apart as its titles; a bare surname joins the full name
  that carries it (or, if two people share it, the one mentioned last before it); "Mr. Obama"
  never joins "Michelle Obama". Organisations cluster by a normalised key and their usual
  variants ("Justice Department" / "Department of Justice"; "IMF" / "International
  Monetary Fund").
* **mentions** (``Mention``): every place a cluster is named, in text order, including
  surnames spaCy did not tag.
* what the sieve reads off them: titles and appositions per person ("Larry Kudlow, the
  director of the National Economic Council"), the roles the people registry gives them on
  the article's date (``background``), and which offsets lie inside quotation marks. The
  sieve adds as it goes: the descriptions it resolved, and the named source of each
  attribution (``named_sources``), which "the statement" after them refers back to.

The helpers after the class clean spaCy's entities first: party words, headline words and
business titles are cut off names, and one-word non-people ("Twitter", "the Clintons") are
not persons.
"""
from __future__ import annotations

from bisect import insort
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from models.speakers.names import (
    AFFILIATIONS,
    FEMALE_FIRST_NAMES,
    HONORIFICS,
    LOWER_CASE_TITLES,
    MALE_FIRST_NAMES,
    NOBODY_TAKEN_FOR_PEOPLE,
    ORGANIZATIONS_TAKEN_FOR_PEOPLE,
    TITLE_WORDS,
    country_name,
    display_name,
    fold,
    name_tokens,
    organization_key,
    organization_variants,
    same_first_name,
    strip_possessive,
)
from models.speakers.registry import KnownPerson, PeopleRegistry
from models.types import Entity, EntityKind


ENTITY_KINDS: dict[str, EntityKind] = {
    "PERSON": "person", "ORG": "organization", "GPE": "organization", "NORP": "group",
}



@dataclass(eq=False)  # compared and hashed by identity
class Cluster:
    key: str
    kind: EntityKind
    surface: list[str] = field(default_factory=list)  # every form seen, titles included
    tokens: list[str] = field(default_factory=list)  # canonical name words of the fullest name
    titles: list[str] = field(default_factory=list)
    background: list[str] = field(default_factory=list)  # roles the registry knows on the day
    known_name: str | None = None  # the registry's name for the person, when it knows them
    female: bool | None = None
    owner: Cluster | None = None  # the person a campaign or an administration belongs to
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
class Mention:
    start: int
    end: int
    root: Token
    cluster: Cluster


# Kinds of body a name ends with, that "the <kind>" may stand for: "the Commission" after "the
# European Commission". Not words that name a body of their own: "the House" after "the White
# House" or "Freedom House", "the Senate" after "the Texas Senate", "the Times".
BODY_KINDS = frozenset("""
    commission authority agency department ministry committee council board bureau office
    court union federation association institute foundation university college company
    corporation bank fund group party administration service
""".split())


class ParsedArticle:
    """The clusters and mentions of one article, and the lookups the rules need."""

    def __init__(self, text: str, parsed: SpacyDoc, quoted: list[tuple[int, int]],
                 registry: PeopleRegistry | None = None, day: date | None = None):
        self.text, self.parsed = text, parsed
        # undated: today, in UTC as the service dates the stored article
        self.registry, self.day = registry, day or datetime.now(timezone.utc).date()
        self.clusters: list[Cluster] = []
        self.mentions: list[Mention] = []
        self.quoted = quoted  # content fragments of direct quotes: mentions there don't count
        # (source offset, cluster) of the quotes resolved so far whose source names its speaker
        self.named_sources: list[tuple[int, Cluster]] = []
        # (start, end, cluster, title) of appositions after a name ("Kudlow, the director")
        self.trailing_appositions: list[tuple[int, int, Cluster, str]] = []
        # (cluster id, title) of the titles an apposition states, either side of the name
        self.apposition_titles: set[tuple[int, str]] = set()
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
        common_words = {token.text for token in parsed if token.text.islower()}
        for ent in ents:
            if (ent.label_ == "PERSON" or not organization_key(ent.text)
                    or _common_word_opening_a_sentence(ent, common_words)):
                continue
            if self._is_known_surname(ent):  # the tagger sometimes calls "Trump" an ORG
                self._add_person(ent)
            else:
                self._add_organization(ent)
        self._add_missed_surnames(parsed, common_words)
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

    def person_known_as(self, known: KnownPerson) -> Cluster:
        """The cluster of a registry person, created if the article never names them."""
        tokens = name_tokens(known.name)
        cluster = self._person_cluster(tokens, len(self.text))
        if cluster is None:
            cluster = Cluster(f"e{len(self.clusters) + 1}", "person", surface=[known.name],
                               tokens=tokens, background=known.roles_on(self.day),
                               female=known.female, known_name=known.name)
            self.clusters.append(cluster)
        return cluster

    def named_holder(self, role: str) -> Cluster | None:
        """The person the registry knows in ``role`` on the article's date, if the article
        names them."""
        known = self.registry.holder(role, self.day) if self.registry is not None else None
        if known is None:
            return None
        return next((c for c in self.clusters if c.kind == "person" and c.known_name == known.name
                     and any(m.cluster is c for m in self.mentions)), None)

    def add_described_mention(self, start: int, end: int, cluster: Cluster) -> None:
        """A description resolved to a person is a mention of them for the pronouns after it:
        "The Russian leader said ... 'We will not bend,' he told reporters"."""
        span = self.parsed.char_span(start, end, alignment_mode="expand")
        if span is None or cluster.kind != "person":
            return
        insort(self.mentions, Mention(start, end, span.root, cluster), key=lambda m: m.start)

    def _add_missed_surnames(self, parsed: SpacyDoc, common_words: set[str]) -> None:
        """A known person's bare surname that spaCy did not tag ("Tester said") is a mention too,
        when only one person of the article bears it."""
        bearers: dict[str, list[Cluster]] = {}
        for cluster in self.clusters:
            if cluster.kind == "person" and len(cluster.tokens) > 1:
                bearers.setdefault(cluster.tokens[-1], []).append(cluster)
        covered = {i for m in self.mentions for i in range(m.start, m.end)}
        for token in parsed:
            word = fold(token.text)
            if (_may_be_name(token, common_words) and token.text[:1].isupper()
                    and token.idx not in covered
                    and len(bearers.get(word, ())) == 1):
                cluster = bearers[word][0]
                cluster.surface.append(token.text)
                self.mentions.append(Mention(token.idx, token.idx + len(token.text), token, cluster))

    def _add_person(self, ent: SpacySpan) -> None:
        tokens = name_tokens(ent.text)
        cluster = self._person_cluster(tokens, ent.start_char, _honorific_gender(ent))
        if cluster is None:
            cluster = Cluster(f"e{len(self.clusters) + 1}", "person", tokens=tokens)
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
        self.mentions.append(Mention(ent.start_char, ent.end_char, ent.root, cluster))

    def _person_cluster(
        self, tokens: list[str], offset: int, female: bool | None = None
    ) -> Cluster | None:
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

    def _mention_count(self, cluster: Cluster) -> int:
        return sum(m.cluster is cluster for m in self.mentions)

    def _is_known_surname(self, ent: SpacySpan) -> bool:
        tokens = name_tokens(ent.text)
        return len(tokens) == 1 and any(
            c.kind == "person" and len(c.tokens) > 1 and c.tokens[-1] == tokens[0]
            for c in self.clusters
        )

    def person_for_name(self, span: SpacySpan) -> Cluster:
        """The cluster of a proper name the tagger missed, created if the name is new."""
        tokens = name_tokens(span.text) or [fold(span.text)]
        cluster = self._person_cluster(tokens, span.start_char)
        if cluster is None:
            cluster = Cluster(f"e{len(self.clusters) + 1}", "person", tokens=tokens)
            self.clusters.append(cluster)
        cluster.surface.append(strip_possessive(span.text))
        return cluster

    def _latest_before(self, clusters: list[Cluster], offset: int) -> Cluster | None:
        before = [m for m in self.mentions if m.cluster in clusters and m.start < offset]
        return max(before, key=lambda m: m.start).cluster if before else None

    def _add_organization(self, ent: SpacySpan) -> None:
        kind = ENTITY_KINDS[ent.label_]
        cluster = self.organization_named(ent.text) or self._short_form_of(ent)
        if cluster is None:
            cluster = Cluster(f"e{len(self.clusters) + 1}", kind)
            self.clusters.append(cluster)
        cluster.surface.append(strip_possessive(ent.text))
        self.mentions.append(Mention(ent.start_char, ent.end_char, ent.root, cluster))

    def _short_form_of(self, ent: SpacySpan) -> Cluster | None:
        """"the Commission" after "the European Commission": "the" and a word for a kind of
        body (``BODY_KINDS``) is the organisation named last before it whose name ends with
        that word."""
        word = organization_key(ent.text)
        if word not in BODY_KINDS or ent.start == 0 or ent.doc[ent.start - 1].lower_ != "the":
            return None
        earlier = [m for m in self.mentions if m.cluster.kind != "person"
                   and m.start < ent.start_char and any(
                       len(key.split()) > 1 and key.split()[-1] == word
                       for key in map(organization_key, m.cluster.surface))]
        return max(earlier, key=lambda m: m.start).cluster if earlier else None

    def organization_named(self, name: str) -> Cluster | None:
        """The article's organisation of that name or acronym, if any."""
        key = organization_key(name)
        return next((c for c in self.clusters
                     if c.kind != "person" and _same_organization(c, key)), None)

    def organization_of(self, person: Cluster, kind: str) -> Cluster:
        """The organisation "<name> <kind>" of a person ("Hillary Clinton campaign", "Barack Obama
        administration"; middle initials dropped), created on first use."""
        name = " ".join(w for w in person.name.split() if not _is_initial(w)) + f" {kind}"
        key = organization_key(name)
        for cluster in self.clusters:
            if cluster.kind == "organization" and organization_key(cluster.surface[0]) == key:
                return cluster
        cluster = Cluster(f"e{len(self.clusters) + 1}", "organization", surface=[name],
                           owner=person, suffix=kind)
        self.clusters.append(cluster)
        return cluster

    def country(self, name: str) -> Cluster:
        """The organisation cluster of a country ("Russia", "the U.S."), created if the article
        only names it by its demonym."""
        for cluster in self.clusters:  # not a group: "Russian" (the people) is not Russia
            if cluster.kind == "organization" and any(
                    country_name(organization_key(s)) == name
                    or display_name(s, person=False) == name for s in cluster.surface):
                return cluster
        cluster = Cluster(f"e{len(self.clusters) + 1}", "organization", surface=[name])
        self.clusters.append(cluster)
        return cluster

    def known_person(self, word: str) -> Cluster | None:
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

    def most_mentioned_person(self, before: int) -> Cluster | None:
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
                    self.apposition_titles.add((id(mention.cluster), title))
                    self.trailing_appositions.append((
                        child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text),
                        mention.cluster, title))
            if root.dep_ == "appos" and root.head.pos_ == "NOUN":
                head = root.head
                title = self.parsed[head.left_edge.i : head.i + 1].text
                mention.cluster.titles.append(title)
                self.apposition_titles.add((id(mention.cluster), title))

    def _subtree_text(self, token: Token) -> str:
        return self.parsed[token.left_edge.i : token.right_edge.i + 1].text.strip(" ,")

    # -- lookups

    def mentions_in(self, start: int, end: int) -> list[Mention]:
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


def _common_word_opening_a_sentence(ent: SpacySpan, common_words: set[str]) -> bool:
    """"Hospital officials said": a one-word organisation capitalised only because it opens a
    sentence, when the article writes the word (or its plural) in lower case elsewhere."""
    word = ent.text.lower()
    return (len(ent) == 1 and ent[0].is_sent_start
            and (word in common_words or f"{word}s" in common_words))


def _same_organization(cluster: Cluster, key: str) -> bool:
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
        if _first_name_before(ent):  # "Dennis [Muilenburg]" tagged as a place
            relabelled.append(SpacySpan(ent.doc, ent.start - 1, ent.end, label="PERSON"))
        elif ent.label_ != "PERSON" or " " in word:
            relabelled.append(ent)
        elif word in ORGANIZATIONS_TAKEN_FOR_PEOPLE:
            relabelled.append(SpacySpan(ent.doc, ent.start, ent.end, label="ORG"))
        elif word.endswith("s") and (word[:-1] in surnames or word[:-2] in surnames):
            relabelled.append(SpacySpan(ent.doc, ent.start, ent.end, label="NORP"))
        elif word not in NOBODY_TAKEN_FOR_PEOPLE and not _adjective_alone(ent, surnames):
            relabelled.append(ent)
    return relabelled


COMMON_FIRST_NAMES = FEMALE_FIRST_NAMES | MALE_FIRST_NAMES


def _first_name_before(ent: SpacySpan) -> bool:
    """A one-word place or organisation right after a common first name that spaCy left out of
    every entity, and that the parse joins to it: a surname it took for something else
    ("Dennis Muilenburg" tagged as a place "Muilenburg")."""
    if ent.label_ == "PERSON" or len(ent) != 1 or ent.start == 0:
        return False
    before = ent.doc[ent.start - 1]
    return (before.ent_type_ == "" and before.pos_ == "PROPN" and before.head.i == ent.start
            and fold(before.text) in COMMON_FIRST_NAMES)


def _adjective_alone(ent: SpacySpan, surnames: set[str]) -> bool:
    """A lone word the tagger reads as an adjective ("Harsh? He doesn't think so.") is no
    person unless it is the surname of a full name in the article ("Young" after "Cy Young")."""
    return (len(ent) == 1 and ent[0].pos_ == "ADJ"
            and fold(strip_possessive(ent.text)) not in surnames)


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
