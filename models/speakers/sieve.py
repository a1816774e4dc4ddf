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

The clusters of names, their titles and mentions are built once per article by
``article.py`` (``ParsedArticle``); this module holds the rules that map a source mention to
one of them.

The rules were developed on hand labels of PolNeAR *train* (``labels/speakers_train.tsv``),
so that the dev labels measure them; version 9 also took a few rules from reading dev mistakes
(the README says which, and what they add on each split).

With the mention ranker's weights shipped (``ranker.py``), ``SpeakerResolver`` lets it re-rank
the sieve's unsure answers for pronoun and description mentions (``mode="combined"``); the
modes "sieve" and "ranker" exist to measure each alone (``models.evaluation.speakers``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from models.baseline.quotemarks import ALL_MARKS
from models.nlp import parse_many
from models.pipeline import Stage
from models.speakers.names import (
    QUALIFIERS,
    US_STATES,
    country_name,
    fold,
    organization_key,
    role_words,
)
from models.speakers.article import Cluster, Mention, ParsedArticle
from models.speakers.registry import KnownPerson, PeopleRegistry
from models.types import Document, Quote, SpeakerAssignment

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
    version = "12"
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


def resolve_speakers(
    doc: Document, parsed: SpacyDoc, ranker: Any = None, mode: str = "sieve",
    registry: PeopleRegistry | None = None,
) -> Document:
    quoted = [
        (f.start, f.end) for q in doc.quotes if q.type == "direct" for f in q.fragments()
    ]
    article = ParsedArticle(doc.text, parsed, quoted, registry, doc.published_at)
    used: dict[str, Cluster] = {}
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
    article: ParsedArticle, quote: Quote, found: tuple[Cluster, str] | None, ranker: Any, mode: str
) -> tuple[Cluster, str] | None:
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
    article: ParsedArticle, quotes: list[Quote], index: int
) -> tuple[Cluster, str] | None:
    quote = quotes[index]
    if quote.source is not None:
        return resolve_mention(article, quote.source.start, quote.source.end, quote)
    if quote.cue is None:
        return _continuation(article, quotes, index)
    return None


def resolve_mention(
    article: ParsedArticle, start: int, end: int, quote: Quote | None = None
) -> tuple[Cluster, str] | None:
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
    # "a spokesman for Treasury Secretary Steven Mnuchin" speaks for Mnuchin, whoever else the
    # article calls a spokesman, unless the spokesman is named too ("..., Jane Doe, said")
    principal = _principal(root, inside) if root.lower_ in PRINCIPAL_HEADS else None
    if principal is not None:
        # a person's name in apposition to either is the spokesman's own (the parse may hang
        # it on the principal: "a spokeswoman for Laura Kemp, Jane Ortiz, said")
        named = [m for m in inside if m.cluster.kind == "person" and m.root.dep_ == "appos"
                 and m.root.head.i in (root.i, principal.root.i)]
        if named:
            return named[0].cluster, "name"
        cluster = principal.cluster
        return cluster, "name" if cluster.kind == "person" else "organization"
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


# Who speaks for the name after "for" or "to" ("a statement to NBC News" is not NBC's)
PRINCIPAL_HEADS = frozenset("""
    spokesman spokeswoman spokesperson spokespeople spokesmen spokeswomen aide aides
    representative representatives
""".split())


def _principal(root: Token, inside: list[Mention]) -> Mention | None:
    """The name after "for" or "to" on a spokesperson word: "a spokesman for Mnuchin", "an
    aide to Senator Warren"."""
    for prep in root.children:
        if prep.dep_ == "prep" and prep.lower_ in {"for", "to"}:
            objects = [t for t in prep.children if t.dep_ == "pobj"]
            for mention in inside:
                if any(mention.start <= t.idx < mention.end for t in objects):
                    return mention
    return None


def _organization_description(article: ParsedArticle, span: SpacySpan) -> Cluster | None:
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
    # An epithet refers back like a pronoun ("the government watchdog group"), and so does "the
    # company's board", but the body of a group of people is another body: "the fishermen's
    # federation" is not the BBC named before.
    if any(t.dep_ == "poss" and t.tag_ in {"NNS", "NNPS"} and t.i != span.root.i for t in span):
        return None
    found = _nearest(article, span.root, {"organization"}, "description")
    return found[0] if found is not None else None


DOCUMENT_HEADS = frozenset("statement letter column email memo tweet release editorial note".split())
# What speaks with its owner's voice: "Trump's tweet", "his book", "Powell's office".
OWNED_VOICES = DOCUMENT_HEADS | {"office", "book", "message", "website", "account", "post"}


def _possessor(
    article: ParsedArticle, head: Token, inside: list[Mention], quote: Quote | None
) -> Cluster | None:
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


def _personal_organization(article: ParsedArticle, span: SpacySpan) -> str | None:
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
    article: ParsedArticle, span: SpacySpan, inside: list[Mention], kind: str
) -> tuple[Cluster, str] | None:
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


def _seeking_pronoun(article: ParsedArticle, pronoun: Token, kind: str) -> tuple[Cluster, str] | None:
    if pronoun.lower_ not in MALE_PRONOUNS | FEMALE_PRONOUNS:
        return None
    female = pronoun.lower_ in FEMALE_PRONOUNS
    return _nearest(article, pronoun, {"person"}, "pronoun", compatible=lambda cluster: (
        cluster.female in (None, female) and _seeks_office(cluster, kind)))


def _seeks_office(person: Cluster, kind: str) -> bool:
    """Known on the article's date in a role that has a campaign (or an administration)."""
    return any(_holds(person, word) for word in OFFICE_SEEKING.get(kind, ()))


def _holds(person: Cluster, role_word: str) -> bool:
    """Whole words: a "presidential candidate" is no president."""
    return any(role_word in role.lower().split() for role in person.background)


def _office_seeker(article: ParsedArticle, owner: Cluster, kind: str) -> Cluster:
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


def _names_the_head(mention: Mention, root: Token) -> bool:
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


def _government_of(article: ParsedArticle, span: SpacySpan) -> Cluster | None:
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


def _apposition_name(article: ParsedArticle, span: SpacySpan) -> Cluster | None:
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
    article: ParsedArticle, anchor: Token, kinds: set[str], rule: str, same_sentence_only: bool = False,
    compatible=lambda cluster: True, chain: frozenset[str] = frozenset(), depth: int = 0,
) -> tuple[Cluster, str] | None:
    """The most salient preceding mention of the given kinds, sentence by sentence back.

    The cue's own object ("he told Trump") is never the speaker; ``compatible`` filters the
    rest (a pronoun's gender). Pronouns in ``chain`` compete with the names: in "Trump attacked
    Romney. Then he turned to Rubio. He listed his wins", the second "he" is the subject of the
    sentence before, so it takes that pronoun's referent (Trump), not the object named there."""
    excluded = _clusters_named_by_cue(article, anchor)
    for sentence in _sentences_back(article, anchor):
        end = min(sentence.end_char, anchor.idx)
        candidates: list[Mention | Token] = [
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


def _description(article: ParsedArticle, span: SpacySpan) -> Cluster | None:
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
    holders = set()  # whom the registry knows in a fitting role on the article's date
    stated = []  # (score, person) of the fitting titles that an apposition states
    for cluster in article.clusters:
        if cluster.kind != "person":
            continue
        titles = [(t, False) for t in cluster.titles if (id(cluster), t) not in misparsed]
        titles += [(t, True) for t in cluster.background]
        profile = frozenset().union(*(role_words(t) for t, _ in titles))
        for title, from_registry in titles:
            score = _title_score(head, words, role_words(title), profile, from_registry)
            if from_registry and score[0]:
                holders.add(cluster)
            if score > best_score:
                best, best_score = [cluster], score
            elif score == best_score and score[0] and cluster not in best:
                best.append(cluster)
            if score[0] and (id(cluster), title) in article.apposition_titles:
                stated.append((score, cluster))
    if not best:
        return None
    # "Governor Bush" and "Governor Kasich" fit "the governor" alike; in 2016 only Kasich is one.
    # A title before a name may be a courtesy, but one an apposition states is the person's
    # now: "Mexico's economy minister, Ildefonso Guajardo" stays a candidate for "the
    # minister" beside a prime minister the registry knows.
    stated_best = {cluster for score, cluster in stated if score == best_score}
    best = [c for c in best if c in holders or c in stated_best] or best
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


def _known_holder(article: ParsedArticle, span: SpacySpan) -> Cluster | None:
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


def _pronoun(article: ParsedArticle, pronoun: Token, quote: Quote | None) -> tuple[Cluster, str] | None:
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


def _author(article: ParsedArticle, offset: int) -> Cluster | None:
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


def _salience(mention: Mention | Token, sentence: SpacySpan) -> tuple[int, int]:
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


def _clusters_named_by_cue(article: ParsedArticle, pronoun: Token) -> set[int]:
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


def _sentences_back(article: ParsedArticle, token: Token) -> Iterable[SpacySpan]:
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
        counted += _narrative(article, sentence)


def _narrative(article: ParsedArticle, sentence: SpacySpan) -> bool:
    """Whether a sentence has words outside the quotes (a lone mark or a quote has none)."""
    words = [t for t in sentence if not (t.is_punct or t.is_space)]
    return any(not article.is_quoted(t.idx) for t in words)


def _before_opening_marks(text: str, start: int) -> int:
    """Where the text before a quote ends: before its opening marks, whatever they are
    (“, ", ‘, NYT's '': apostrophes are marks too) and the spaces after them; a direct quote's
    content starts inside."""
    while start > 0 and (text[start - 1] in ALL_MARKS or text[start - 1] in " \t"):
        start -= 1
    return start


def _continuation(
    article: ParsedArticle, quotes: list[Quote], index: int
) -> tuple[Cluster, str] | None:
    """A quote with no cue continues the voice just before it: the same paragraph if the quote
    does not open it, else the paragraph above. That voice is the speaker of the last quote
    there, else the main subject of the last sentence there."""
    quote = quotes[index]
    text = article.text
    context_end = _before_opening_marks(text, quote.content.start)
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
