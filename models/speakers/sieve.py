"""Within-article speaker resolution: a rule sieve over the spaCy parse.

For every quote, the source mention is mapped to an ``Entity`` of the article, in this order
(the first rule that answers wins; the confidence says which one did):

1. **names** (0.95): the mention contains a PERSON (or ORG/GPE/NORP) name. Person names are
   clustered: "Donald Trump", "Trump", "President Trump", "U.S. President Donald Trump" are one
   entity named "Donald Trump"; a bare surname joins the full name that carries it, or, if two
   people share it ("John Smith", "Mary Smith"), the one mentioned last before it.
2. **relative pronouns** (0.9): "Abe, who calls the TPP ..." -> the noun the clause hangs on.
3. **descriptions** (0.8): "the U.S. president", "Japan's prime minister" -> the entity whose
   title in the article ("U.S. President Donald Trump") or apposition ("Larry Kudlow, the
   director of the National Economic Council") shares the head noun, best modifier overlap,
   ties to the latest mention. "a White House spokeswoman" -> the organisation it names.
4. **pronouns** (0.7): he/she -> the nearest preceding person, sentence by sentence backwards,
   preferring the main subject of a sentence over other subjects over other mentions, skipping
   persons inside quotations and the persons the cue clause itself names as its object
   ("he told Trump" is not Trump). "she" skips known male names and vice versa (honorifics,
   a short list of first names). they/we -> the nearest organisation or group subject (0.5).
5. **no source** (0.6): a quote paragraph with no cue continues the previous paragraph: the
   speaker of its last quote, else the subject of its last sentence.

Campaigns speak as organisations named after their candidate ("the Clinton campaign", "her
campaign", "a campaign aide" -> "Hillary Clinton campaign"); a possessor is not the speaker
("Pagliano's lawyer" is not Pagliano); "IMF" and "International Monetary Fund" are one cluster.

With the mention ranker's weights shipped (``ranker.py``), ``SpeakerResolver`` lets it re-rank
the sieve's unsure answers for pronoun and description mentions (``mode="combined"``); the
modes "sieve" and "ranker" exist to measure each alone (``models.evaluation.speakers``).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from models.nlp import parse_many
from models.pipeline import Stage
from models.speakers.names import (
    FEMALE_FIRST_NAMES,
    HONORIFICS,
    description_words,
    display_name,
    fold,
    name_tokens,
    organization_key,
    strip_possessive,
)
from models.types import Document, Entity, EntityKind, Quote, SpeakerAssignment

ENTITY_KINDS: dict[str, EntityKind] = {
    "PERSON": "person", "ORG": "organization", "GPE": "organization", "NORP": "group",
}
MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
PLURAL_PRONOUNS = {"they", "them", "we", "us", "their"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
PRONOUN_LOOKBACK_SENTENCES = 4
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
    campaign administration team staff
    """.split()
)

CONFIDENCE = {
    "campaign": 0.8, "name": 0.95, "relative": 0.9, "title": 0.8, "description": 0.8, "organization": 0.9, "pronoun": 0.7,
    "group": 0.5, "continuation": 0.6, "ranked": 0.75,
}


# Which resolver the pipeline runs: "sieve" alone, "ranker" for every pronoun/description
# mention, or "combined" (the ranker re-ranks the sieve's unsure answers). Issue 3 says to keep
# what measures better: on the labelled dev sample the sieve alone does (0.674 against 0.659
# combined and 0.556 ranker; ``python -m models.evaluation --sections speakers``).
DEFAULT_MODE = "sieve"


class SpeakerResolver(Stage):
    """The sieve, with the mention ranker for pronoun and description mentions when its
    weights are shipped and ``mode`` asks for it (see ``DEFAULT_MODE``)."""

    name = "rule-speakers"
    version = "2"
    role = "speakers"

    def __init__(self, mode: str = DEFAULT_MODE, ranker: Any = "auto"):
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
        for doc, parsed in zip(docs, outputs):
            resolve_speakers(doc, parsed, self.ranker, self.mode)
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
    female: bool | None = None

    @property
    def name(self) -> str:
        if self.kind != "person":  # "The White House" -> "White House"
            name = display_name(self.surface[0])
            return name[4:] if name.lower().startswith("the ") and len(name) > 4 else name
        named = [display_name(s) for s in self.surface]
        return max(named, key=lambda n: (len(name_tokens(n)), len(n)))

    def entity(self) -> Entity:
        name = self.name
        aliases = tuple(dict.fromkeys(s for s in self.surface if s != name))
        return Entity(self.key, name, self.kind, aliases, tuple(dict.fromkeys(self.titles)))


@dataclass
class _Mention:
    start: int
    end: int
    root: Token
    cluster: _Cluster


class _Article:
    """The clusters and mentions of one article, and the lookups the rules need."""

    def __init__(self, text: str, parsed: SpacyDoc, quoted: list[tuple[int, int]]):
        self.text, self.parsed = text, parsed
        self.clusters: list[_Cluster] = []
        self.mentions: list[_Mention] = []
        self.quoted = quoted  # content fragments of direct quotes: mentions there don't count
        # (source offset, cluster) of the quotes resolved so far whose source names its speaker
        self.named_sources: list[tuple[int, _Cluster]] = []
        self._build(parsed)

    # -- building

    def _build(self, parsed: SpacyDoc) -> None:
        ents = [_trim_entity(e) for e in parsed.ents if e.label_ in ENTITY_KINDS]
        ents = [e for e in ents if e is not None]
        persons = [e for e in ents if e.label_ == "PERSON" and name_tokens(e.text)]
        # fullest names first, so that a bare surname finds the full name it belongs to
        for ent in sorted(persons, key=lambda e: -len(name_tokens(e.text))):
            self._add_person(ent)
        for ent in ents:
            if ent.label_ == "PERSON" or not organization_key(ent.text):
                continue
            if self._is_known_surname(ent):  # the tagger sometimes calls "Trump" an ORG
                self._add_person(ent)
            else:
                self._add_organization(ent)
        self.mentions.sort(key=lambda m: m.start)
        self._collect_appositions()

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
        if cluster.female is None and tokens[0] in FEMALE_FIRST_NAMES and len(tokens) > 1:
            cluster.female = True
        self.mentions.append(_Mention(ent.start_char, ent.end_char, ent.root, cluster))

    def _person_cluster(
        self, tokens: list[str], offset: int, female: bool | None = None
    ) -> _Cluster | None:
        persons = [c for c in self.clusters if c.kind == "person"]
        same = [c for c in persons if c.tokens == tokens]
        if same:
            return same[0]
        if len(tokens) == 1:  # a bare surname (or first name): unambiguous, or latest before
            word = tokens[0]
            candidates = [c for c in persons if c.tokens[-1] == word] or [
                c for c in persons if c.tokens[0] == word
            ]
            if len(candidates) > 1 and female is not None:  # "Mrs. Trump" is not Donald
                candidates = [c for c in candidates if c.female in (None, female)] or candidates
            # Otherwise the bare surname is the article's main bearer of it: most mentioned.
            return max(candidates, key=self._mention_count) if candidates else None
        # "Donald J. Trump" and "Donald Trump": same first and last name
        return next(
            (c for c in persons if c.tokens[0] == tokens[0] and c.tokens[-1] == tokens[-1]), None
        )

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
        key = organization_key(ent.text)
        kind = ENTITY_KINDS[ent.label_]
        cluster = next(
            (c for c in self.clusters if c.kind != "person" and _same_organization(c, key)),
            None,
        )
        if cluster is None:
            cluster = _Cluster(f"e{len(self.clusters) + 1}", kind)
            self.clusters.append(cluster)
        cluster.surface.append(strip_possessive(ent.text))
        self.mentions.append(_Mention(ent.start_char, ent.end_char, ent.root, cluster))

    def campaign_of(self, candidate: _Cluster) -> _Cluster:
        """The organisation "<full name> campaign" of a person, created on first use."""
        name = " ".join(w for w in candidate.name.split() if not _is_initial(w)) + " campaign"
        key = organization_key(name)
        for cluster in self.clusters:
            if cluster.kind == "organization" and organization_key(cluster.surface[0]) == key:
                return cluster
        cluster = _Cluster(f"e{len(self.clusters) + 1}", "organization", surface=[name])
        self.clusters.append(cluster)
        return cluster

    def _titled_form(self, ent: SpacySpan) -> SpacySpan:
        """The name with the title words just before it: "U.S. President Donald Trump"."""
        start = ent.start
        while start > 0:
            token = self.parsed[start - 1]
            if token.dep_ not in {"compound", "amod", "nmod"} or not (ent.start <= token.head.i < ent.end or start <= token.head.i < ent.start):
                break
            if token.pos_ not in {"PROPN", "NOUN", "ADJ"} or not (
                token.text[:1].isupper() or fold(token.text).strip(".") in HONORIFICS
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
                    mention.cluster.titles.append(self._subtree_text(child))
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


def _same_organization(cluster: _Cluster, key: str) -> bool:
    """Same normalised name, or one is the other's acronym ("IMF", "International Monetary Fund")."""
    keys = {organization_key(s) for s in cluster.surface}
    return key in keys or any(_acronym(key, k) or _acronym(k, key) for k in keys)


def _acronym(short: str, long: str) -> bool:
    letters = short.replace(".", "").replace(" ", "")
    initials = "".join(w[0] for w in long.split() if w not in {"of", "for", "and", "the"})
    return 2 <= len(letters) <= 6 and " " not in short and letters == initials and len(long.split()) > 1


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word.endswith(".")


def _honorific_gender(ent: SpacySpan) -> bool | None:
    if ent.start == 0:
        return None
    before = fold(ent.doc[ent.start - 1].text).strip(".")
    return True if before in {"mrs", "ms", "miss"} else False if before == "mr" else None


def _trim_entity(ent: SpacySpan) -> SpacySpan | None:
    """Drop leading words that are not names ("Hosting Abe" -> "Abe")."""
    start = ent.start
    while start < ent.end and ent.doc[start].pos_ not in {"PROPN"} and not ent.doc[start].text[:1].isupper():
        start += 1
    if ent.label_ == "PERSON":
        # "Hosting Abe at his resort, ...": a sentence-initial gerund is not a first name
        while start < ent.end - 1 and (
            ent.doc[start].pos_ == "VERB"
            or (ent.doc[start].is_sent_start and ent.doc[start].lower_.endswith("ing"))
        ):
            start += 1
    if start >= ent.end:
        return None
    return ent if start == ent.start else SpacySpan(ent.doc, start, ent.end, label=ent.label_)


# ----------------------------------------------------------------------------------------------
# The sieve


def resolve_speakers(
    doc: Document, parsed: SpacyDoc, ranker: Any = None, mode: str = "sieve"
) -> Document:
    quoted = [
        (f.start, f.end) for q in doc.quotes if q.type == "direct" for f in q.fragments()
    ]
    article = _Article(doc.text, parsed, quoted)
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
    # 1. names: the name the mention is about, then any person, then any organisation
    for mention in inside:
        if mention.root.i == root.i or mention.start <= root.idx < mention.end:
            return mention.cluster, "name" if mention.cluster.kind == "person" else "organization"
    persons = [m for m in inside if m.cluster.kind == "person"]
    if persons and root.pos_ == "PROPN":
        return persons[0].cluster, "name"
    if _is_campaign(span):
        return _campaign(article, span, persons)
    # "Pagliano's lawyer", "Scott's wife": the possessor is somebody else than the speaker
    persons = [m for m in persons if not _is_possessor_of(m, root)]
    lower = root.lower_
    # 2. relative pronouns: the noun their clause modifies
    if lower in RELATIVE_PRONOUNS and root.head.dep_ == "relcl":
        noun = root.head.head
        found = resolve_mention(article, noun.left_edge.idx, noun.idx + len(noun.text), quote)
        if found is not None:
            return found[0], "relative"
    if lower in {"who", "whom"}:  # the parse missed the clause: the person just before
        return _nearest(article, root, {"person"}, "relative", same_sentence_only=True)
    # 4. pronouns
    if root.pos_ == "PRON":
        return _pronoun(article, root, quote)
    # 3. descriptions
    described = _description(article, span)
    if described is not None:
        return described, "title"
    if root.pos_ == "PROPN":  # a name the tagger did not see
        return article.person_for_name(span[root.left_edge.i - span.start : root.i - span.start + 1]), "name"
    if persons:
        return persons[0].cluster, "name"
    organizations = [m for m in inside if m.cluster.kind != "person"]
    if organizations and root.lemma_.lower() in SPOKESPERSON_WORDS:
        return organizations[0].cluster, "organization"
    # "the Republican nominee", "the bank": a definite description refers back like a pronoun
    if span[0].lower_ in {"the", "this"} and root.tag_ == "NN":
        if root.lemma_.lower() in PERSON_ROLE_WORDS or described_as_person(root):
            return _nearest(article, root, {"person"}, "description")
        return _nearest(article, root, {"organization"}, "description")
    return None


CAMPAIGN_STAFF = {"aide", "spokesman", "spokeswoman", "spokesperson", "official", "adviser", "advisor"}


def _is_campaign(span: SpacySpan) -> bool:
    """"the Clinton campaign", "her campaign", "a Trump campaign aide"."""
    lemma = span.root.lemma_.lower()
    words = {t.lower_ for t in span}
    return lemma == "campaign" or (lemma in CAMPAIGN_STAFF and "campaign" in words)


def _campaign(article: _Article, span: SpacySpan, persons: list[_Mention]) -> tuple[_Cluster, str] | None:
    """A campaign speaks as an organisation named after its candidate ("Hillary Clinton
    campaign"): the candidate named in the mention, else the possessive pronoun's referent,
    else the most salient person before it."""
    owner = persons[0].cluster if persons else None
    possessive = next((t for t in span if t.dep_ == "poss" and t.pos_ == "PRON"), None)
    if owner is None and possessive is not None:
        found = _pronoun(article, possessive, None)
        owner = found[0] if found is not None else None
    if owner is None:
        found = _nearest(article, span.root, {"person"}, "description")
        owner = found[0] if found is not None else None
    if owner is None or owner.kind != "person":
        return None
    return article.campaign_of(owner), "campaign"


def _is_possessor_of(mention: _Mention, root: Token) -> bool:
    return mention.root.dep_ == "poss" and mention.root.head.i == root.i and root.pos_ == "NOUN"


def described_as_person(root: Token) -> bool:
    return root.lemma_.lower().endswith(("man", "woman", "ist", "er")) and root.lemma_.lower() not in {
        "paper", "newspaper", "center", "order", "number", "letter", "computer"
    }


def _nearest(
    article: _Article, anchor: Token, kinds: set[str], rule: str, same_sentence_only: bool = False,
    compatible=lambda cluster: True,
) -> tuple[_Cluster, str] | None:
    """The most salient preceding mention of the given kinds, sentence by sentence back.

    The cue's own object ("he told Trump") is never the speaker; ``compatible`` filters the
    rest (a pronoun's gender)."""
    excluded = _clusters_named_by_cue(article, anchor)
    for sentence in _sentences_back(article.parsed, anchor):
        candidates = [
            m
            for m in article.mentions
            if sentence.start_char <= m.start < min(sentence.end_char, anchor.idx)
            and m.cluster.kind in kinds
            and m.cluster not in excluded
            and not article.is_quoted(m.start)
            and compatible(m.cluster)
        ]
        if candidates:
            return min(candidates, key=lambda m: _salience(m, sentence)).cluster, rule
        if same_sentence_only:
            return None
    return None


def _description(article: _Article, span: SpacySpan) -> _Cluster | None:
    head = span.root.lemma_.lower()
    words = description_words(span.text)
    best, best_score = [], 0
    for cluster in article.clusters:
        if cluster.kind != "person":
            continue
        for title in cluster.titles:
            title_words = description_words(title)
            if head not in title_words:
                continue
            score = len(words & title_words)
            if score > best_score:
                best, best_score = [cluster], score
            elif score == best_score and cluster not in best:
                best.append(cluster)
    if not best:
        return None
    if len(best) == 1:
        return best[0]
    return article._latest_before(best, span.start_char) or best[0]


def _pronoun(article: _Article, pronoun: Token, quote: Quote | None) -> tuple[_Cluster, str] | None:
    lower = pronoun.lower_
    if lower in PLURAL_PRONOUNS:
        return _nearest(article, pronoun, {"organization", "group"}, "group")
    if lower in MALE_PRONOUNS | FEMALE_PRONOUNS:
        female = lower in FEMALE_PRONOUNS
        return _nearest(article, pronoun, {"person"}, "pronoun",
                        compatible=lambda cluster: cluster.female in (None, female))
    if lower == "it":
        return _nearest(article, pronoun, {"organization"}, "group")
    return None  # "I", "you": nobody in particular outside the quote itself


def _salience(mention: _Mention, sentence: SpacySpan) -> tuple[int, int]:
    """Main subject first, then other subjects, then the rest; within a rank, the leftmost."""
    root = mention.root
    if root.dep_ in {"nsubj", "nsubjpass"} and root.head.i == sentence.root.i:
        rank = 0
    elif root.dep_ in {"nsubj", "nsubjpass"}:
        rank = 1
    else:
        rank = 2
    return rank, mention.start


def _clusters_named_by_cue(article: _Article, pronoun: Token) -> set[int]:
    """The clusters named as object of the pronoun's own verb ("he told Trump" -> Trump)."""
    verb = pronoun.head
    objects = [c for c in verb.children if c.dep_ in {"dobj", "dative", "iobj", "prep"} and c.i != pronoun.i]
    named: set = set()
    for obj in objects:
        for mention in article.mentions_in(obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge.text)):
            named.add(mention.cluster)
    return named  # type: ignore[return-value]


def _sentences_back(parsed: SpacyDoc, token: Token) -> Iterable[SpacySpan]:
    sentence = token.sent
    yield sentence
    for _ in range(PRONOUN_LOOKBACK_SENTENCES):
        if sentence.start == 0:
            return
        sentence = parsed[sentence.start - 1].sent
        yield sentence


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
