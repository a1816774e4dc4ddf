"""The registry of public figures' roles and how the sieve reads descriptions with it.

The sieve tests use a small registry of invented people, so that they say what the rules do
whatever the shipped ``config/people.json`` holds; the last tests check that file itself.
"""
from datetime import date

import pytest

from models.baseline import RuleQuoteExtractor
from models.pipeline import Pipeline
from models.speakers import SpeakerResolver
from models.speakers.names import name_tokens
from models.speakers.registry import KnownPerson, PeopleRegistry, Role, name_key
from models.types import Document, Entity

REYES = KnownPerson("Alma Reyes", (
    Role("Ruritanian president", date(2010, 1, 1), date(2018, 1, 1)),
    Role("president", date(2010, 1, 1), date(2018, 1, 1)),
    Role("former Ruritanian president", date(2018, 1, 1)),
    Role("Democratic front-runner", date(2009, 3, 1), date(2009, 11, 1)),
), female=True)
KELL = KnownPerson("Victor Kell", (
    Role("Ruritanian president", date(2018, 1, 1)),
    Role("president", date(2018, 1, 1)),
    Role("Republican front-runner", date(2009, 3, 1), date(2009, 11, 1)),
), aliases=("Vic Kell",), female=False)
OTTO_KELL = KnownPerson("Otto Kell", (Role("Ruritanian banker"),), female=False)
REGISTRY = PeopleRegistry([REYES, KELL, OTTO_KELL])


def analyze(text: str, day: date, registry: PeopleRegistry = REGISTRY) -> Document:
    pipeline = Pipeline([RuleQuoteExtractor(), SpeakerResolver(mode="sieve", registry=registry)])
    return pipeline.analyze(Document(text, published_at=day))


def speaker_of(doc: Document, content_part: str) -> Entity | None:
    quote = next(q for q in doc.quotes if content_part in q.content.text)
    return doc.entity(quote.speaker.entity_key) if quote.speaker else None


def test_a_role_holds_from_its_first_day_until_the_day_its_successor_takes_over():
    assert REYES.roles_on(date(2017, 12, 31))[:2] == ["Ruritanian president", "president"]
    assert REYES.roles_on(date(2018, 1, 1)) == ["former Ruritanian president"]
    assert KELL.roles_on(date(2018, 1, 1)) == ["Ruritanian president", "president"]


def test_find_by_full_name_alias_and_unambiguous_surname():
    assert REGISTRY.find(name_tokens("Alma Reyes")) is REYES
    assert REGISTRY.find(name_tokens("President Vic Kell")) is KELL
    assert REGISTRY.find(["reyes"]) is REYES
    assert REGISTRY.find(name_tokens("Alma Smith")) is None


def test_a_shared_surname_needs_a_gender_or_the_registry_s_word():
    assert REGISTRY.find(["kell"]) is None  # Victor or Otto
    registry = PeopleRegistry([REYES, KnownPerson("Victor Kell", KELL.roles, by_surname=True),
                               OTTO_KELL])
    assert registry.find(["kell"]).name == "Victor Kell"
    women = PeopleRegistry([KnownPerson("Ada Kell", (), female=True), OTTO_KELL])
    assert women.find(["kell"], female=True).name == "Ada Kell"


def test_a_description_finds_the_named_person_who_held_that_role_that_day():
    text = (
        "Alma Reyes and Victor Kell met voters in the capital on Tuesday.\n\n"
        "The Republican front-runner said the tax would be cut in the spring."
    )
    assert speaker_of(analyze(text, date(2009, 6, 1)), "tax").name == "Victor Kell"


def test_the_registry_names_a_qualified_description_the_article_leaves_unnamed():
    text = "The Ruritanian president said the border would reopen next week."
    assert speaker_of(analyze(text, date(2015, 5, 1)), "border").name == "Alma Reyes"
    assert speaker_of(analyze(text, date(2020, 5, 1)), "border").name == "Victor Kell"


def test_a_bare_title_brings_nobody_in():
    text = "The president said the border would reopen next week."
    assert speaker_of(analyze(text, date(2015, 5, 1)), "border") is None


def test_a_former_holder_is_not_the_sitting_one_nor_the_reverse():
    text = (
        "Alma Reyes and Victor Kell attended the ceremony on Friday.\n\n"
        "The former Ruritanian president said the treaty had kept the peace."
    )
    assert speaker_of(analyze(text, date(2020, 5, 1)), "treaty").name == "Alma Reyes"


def test_of_two_people_the_article_titles_alike_the_one_in_office_that_day_fits():
    # "President Reyes" is a courtesy title after 2018: the sitting president is Kell
    text = (
        "President Victor Kell and President Alma Reyes toured the flooded valley on Friday.\n\n"
        "Alma Reyes later visited a shelter.\n\n"
        "The president said the dams would be rebuilt by the spring."
    )
    assert speaker_of(analyze(text, date(2020, 5, 1)), "dams").name == "Victor Kell"
    assert speaker_of(analyze(text, date(2015, 5, 1)), "dams").name == "Alma Reyes"


def test_a_role_an_apposition_states_is_not_ruled_out_by_the_registry():
    # the registry knows Kell as a minister (prime minister) on that day, and nothing of Ortega;
    # the apposition says who the trade minister is, and he was named last
    registry = PeopleRegistry([KnownPerson("Victor Kell", (Role("Ruritanian prime minister"),),
                                           female=False)])
    text = (
        "Ruritanian Prime Minister Victor Kell said the border would stay open.\n\n"
        "The country's trade minister, Carlos Ortega, struck a softer tone.\n\n"
        "The minister said the new duties would be lifted in June."
    )
    assert speaker_of(analyze(text, date(2020, 5, 1), registry), "duties").name == "Carlos Ortega"


def test_a_registry_role_that_contradicts_the_description_does_not_fit():
    # Reyes, the only person named, was the Democratic front-runner: the Republican one is Kell
    text = "Alma Reyes spoke on Friday.\n\nThe Republican front-runner said the plan was dead."
    assert speaker_of(analyze(text, date(2009, 6, 1)), "plan").name == "Victor Kell"


def test_an_entry_without_first_name_and_surname_is_left_out():
    registry = PeopleRegistry([KnownPerson("The President", (Role("president"),)), REYES])
    assert [p.name for p in registry.people] == ["Alma Reyes"]
    assert registry.find(["president"]) is None


def test_a_bare_or_unqualified_title_brings_nobody_in():
    for text in ("The president-elect said the border would reopen next week.",
                 "The commander in chief said the border would reopen next week."):
        registry = PeopleRegistry([KnownPerson("Alma Reyes", (
            Role("president-elect"), Role("commander in chief")))])
        speaker = speaker_of(analyze(text, date(2015, 5, 1), registry), "border")
        assert speaker is None or speaker.name != "Alma Reyes", text


def test_a_country_the_article_s_title_does_not_give_is_no_match():
    # "President Kell" is a president, but not necessarily the Ruritanian one... and the
    # registry knows the Russian president, whom the article never names
    registry = PeopleRegistry([KELL, KnownPerson("Ivan Orlov", (Role("Russian president"),))])
    text = ("President Victor Kell spoke in the capital on Monday.\n\n"
            "The Russian president said the border would reopen next week.")
    assert speaker_of(analyze(text, date(2020, 5, 1), registry), "border").name == "Ivan Orlov"


# -- the shipped registry ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> PeopleRegistry:
    return PeopleRegistry.from_file()


def test_shipped_registry_roles_are_well_formed(shipped):
    assert len(shipped.people) >= 50
    for person in shipped.people:
        assert len(name_tokens(person.name)) > 1, person.name
        for role in person.roles:
            assert role.text.strip() == role.text and role.text, person.name
            assert role.start is None or role.end is None or role.start < role.end, (person, role)


def test_shipped_registry_has_one_entry_per_name(shipped):
    # as the registry finds people: first name and surname
    keys = {}
    for person in shipped.people:
        for name in (person.name, *person.aliases):
            assert keys.setdefault(name_key(name), person.name) == person.name, name


def test_shipped_registry_has_one_holder_of_each_head_of_government_role_per_day(shipped):
    for day in (date(2016, 6, 1), date(2018, 4, 18), date(2022, 1, 1), date(2026, 1, 1)):
        for role in ("U.S. president", "Japanese prime minister", "German chancellor"):
            holders = [p.name for p in shipped.people if role in p.roles_on(day)]
            assert len(holders) == 1, (day, role, holders)


# -- qualifiers, years, surnames, misparses ------------------------------------------------------

MARSH = KnownPerson("Ed Marsh", (Role("Vermont senator", date(2010, 1, 1)),
                                 Role("independent senator", date(2010, 1, 1))), female=False)
ANN_MARSH = KnownPerson("Ann Marsh", (Role("press secretary", date(2020, 1, 1)),), female=True)
PIKE = KnownPerson("Jo Pike", (Role("2008 Democratic nominee", date(2008, 11, 5)),), female=True)
VOSS = KnownPerson("Dan Voss", (Role("Democratic nominee", date(2012, 6, 1), date(2012, 11, 7)),))
MORE = PeopleRegistry([MARSH, ANN_MARSH, PIKE, VOSS])


def test_each_qualifier_of_a_description_may_come_from_another_role_of_the_person():
    text = (
        "Ed Marsh and Sen. Lee Ford spoke at the hearing on Monday.\n\n"
        "The independent Vermont senator said the bill was dead."
    )
    assert speaker_of(analyze(text, date(2015, 5, 1), MORE), "bill").name == "Ed Marsh"


def test_a_surname_alone_goes_to_the_one_bearer_in_office_that_day():
    assert MORE.find(["marsh"], day=date(2015, 5, 1)) is MARSH
    assert MORE.find(["marsh"], day=date(2022, 5, 1)) is None  # both in office by then
    assert MORE.find(["marsh"], female=True, day=date(2022, 5, 1)) is ANN_MARSH


def test_a_past_election_s_nominee_is_not_this_year_s():
    text = "The Democratic nominee said the plan would cut taxes for families."
    assert speaker_of(analyze(text, date(2012, 9, 1), MORE), "taxes").name == "Dan Voss"


def test_a_known_person_has_the_registry_s_name_in_every_article():
    doc = analyze("Vic Kell said the border would reopen next week.", date(2020, 5, 1))
    kell = speaker_of(doc, "border")
    assert kell.name == "Victor Kell" and "Vic Kell" in kell.aliases


def test_a_pronoun_after_a_resolved_description_refers_to_that_person():
    text = ("The Ruritanian president said on Tuesday that sanctions would not change his "
            "course.\n\n“We will not bend,” he told reporters in the capital.")
    doc = analyze(text, date(2020, 5, 1))
    assert speaker_of(doc, "sanctions").name == "Victor Kell"
    assert speaker_of(doc, "not bend").name == "Victor Kell"


def test_a_campaign_belongs_to_the_namesake_who_runs_that_day():
    text = (
        "Otto Kell opened a bank branch in the capital. Otto Kell said the branch would hire.\n\n"
        "Otto Kell thanked Victor Kell for coming.\n\n"
        "Kell's campaign said the rally would move to Friday."
    )
    assert speaker_of(analyze(text, date(2009, 6, 1)), "rally").name == "Victor Kell campaign"


def test_the_bare_administration_is_the_one_of_the_president_in_office_that_day():
    registry = PeopleRegistry([
        KnownPerson("Alma Reyes", (Role("U.S. president", date(2010, 1, 1), date(2018, 1, 1)),
                                   Role("former U.S. president", date(2018, 1, 1)))),
        KnownPerson("Victor Kell", (Role("U.S. president", date(2018, 1, 1)),)),
    ])
    text = ("Alma Reyes and Victor Kell spoke in Ohio.\n\n"
            "The administration said the tariffs would stay in place.")
    assert speaker_of(analyze(text, date(2015, 5, 1), registry), "tariffs").name == (
        "Alma Reyes administration")
    assert speaker_of(analyze(text, date(2019, 5, 1), registry), "tariffs").name == (
        "Victor Kell administration")
    # an administration the article already spoke of comes first
    named = "The Reyes administration said in 2017 that the border would close.\n\n" + text
    assert speaker_of(analyze(named, date(2019, 5, 1), registry), "tariffs").name == (
        "Alma Reyes administration")
    # a story that does not name the president speaks of another administration
    campus = ("Tuition will rise next fall at Ohio State.\n\n"
              "The administration said the increase was unavoidable.")
    found = speaker_of(analyze(campus, date(2019, 5, 1), registry), "increase")
    assert found is None or "Kell" not in found.name


def test_of_two_namesakes_the_administration_is_the_president_s():
    registry = PeopleRegistry([
        KnownPerson("Alma Reyes", (Role("former U.S. president", date(2018, 1, 1)),)),
        KnownPerson("Rosa Reyes", (Role("presidential candidate", date(2018, 1, 1)),)),
    ])
    text = ("Rosa Reyes praised Alma Reyes on Monday. Rosa Reyes said she would run.\n\n"
            "The Reyes administration said the budget was balanced.")
    assert speaker_of(analyze(text, date(2019, 5, 1), registry), "budget").name == (
        "Alma Reyes administration")


def test_registry_holder_is_the_one_person_in_the_role_that_day():
    assert REGISTRY.holder("Ruritanian president", date(2015, 1, 1)) is REYES
    assert REGISTRY.holder("Ruritanian president", date(2019, 1, 1)) is KELL
    assert REGISTRY.holder("Ruritanian president", date(2005, 1, 1)) is None
