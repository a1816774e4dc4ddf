"""Cross-article speaker matching (pure functions, no database)."""
from models.speakers.linking import KnownSpeaker, link_entity, match_speaker
from models.types import Entity

TRUMP = KnownSpeaker("t", "Donald Trump", ("Trump", "President Trump"))
MELANIA = KnownSpeaker("m", "Melania Trump", ("Melania Trump",))
JOHN = KnownSpeaker("j", "John Smith")
WHITE_HOUSE = KnownSpeaker("w", "White House")


def person(name: str, *aliases: str) -> Entity:
    return Entity("e1", name, "person", tuple(aliases))


def test_full_name_with_titles_and_middle_initial_matches():
    decision = match_speaker(person("Donald J. Trump", "U.S. President Donald Trump"), [TRUMP, MELANIA])
    assert decision.speaker_id == "t" and decision.rule == "full-name"


def test_bare_surname_matches_only_when_unambiguous():
    assert link_entity(person("Smith"), [JOHN]) == "j"
    assert link_entity(person("Smith"), [JOHN, KnownSpeaker("s", "Mary Smith")]) is None


def test_bare_surname_prefers_the_bearer_already_called_by_it():
    decision = match_speaker(person("Trump"), [TRUMP, MELANIA])
    assert decision.speaker_id == "t" and decision.confidence < 0.9


def test_same_surname_different_first_name_never_links():
    decision = match_speaker(person("Mary Smith", "Smith"), [JOHN])
    assert decision.speaker_id is None and decision.rule == "conflict"


def test_full_name_links_to_a_speaker_stored_only_by_surname():
    assert link_entity(person("Jane Doe"), [KnownSpeaker("d", "Doe")]) == "d"


def test_organizations_match_on_normalised_name_only():
    white_house = Entity("e2", "The White House", "organization")
    assert link_entity(white_house, [WHITE_HOUSE, TRUMP]) == "w"
    assert link_entity(Entity("e3", "House", "organization"), [WHITE_HOUSE]) is None


def test_unknown_person_is_new():
    assert match_speaker(person("Kenji Sato"), [TRUMP, JOHN]).speaker_id is None


def test_organisation_variants():
    from models.speakers.names import organization_variants

    assert organization_variants("Department of Veterans Affairs") == ["Veterans Affairs Department"]
    assert organization_variants("State Department") == ["Department of State"]
    assert organization_variants("Republican Party of Wyoming") == ["Wyoming Republican Party"]
    assert organization_variants("Ohio Democratic Party") == ["Democratic Party of Ohio"]
    assert organization_variants("U.S. Justice Department") == ["Department of Justice"]
    assert organization_variants("Treasury Department") == ["Department of the Treasury"]
    assert organization_variants("Department of Health and Human Services") == [
        "Health and Human Services Department"]
    # a city's police is not "the Department of Boston Police"; a party abroad has no place
    # variant ("Social Democratic Party"); an unrelated name has none
    assert organization_variants("Police Department") == []
    assert organization_variants("Boston Police Department") == []
    assert organization_variants("Social Democratic Party") == []
    assert organization_variants("White House") == []


def test_a_title_before_a_name_is_no_first_name():
    # "campaign manager Tom Smith" and "campaign manager Ann Smith" are two people, not two
    # "Campaign Smith"s
    tom = KnownSpeaker("tom", "Tom Smith", ("campaign manager Tom Smith",))
    ann = person("Ann Smith", "campaign manager Ann Smith")
    assert link_entity(ann, [tom]) is None
    assert link_entity(person("Tom Smith", "Democratic nominee Tom Smith"), [tom]) == "tom"
