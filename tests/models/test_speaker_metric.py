"""The canonical-speaker metric of ``make eval``: what counts as the labelled speaker."""
from models.evaluation.speakers import is_right
from models.types import Entity


def person(name, *aliases):
    return Entity("e1", name, "person", aliases)


def test_names_match_without_titles_case_or_middle_initials():
    assert is_right(person("Donald J. Trump", "Mr. Trump"), "Donald Trump")
    assert is_right(person("Hillary Clinton"), "hillary clinton")
    assert not is_right(person("Donald Trump"), "Ivanka Trump")


def test_a_surname_alone_counts_only_as_the_entitys_own_name():
    assert is_right(person("Obama"), "Barack Obama")  # the article never gave more
    assert not is_right(person("Donald Trump", "Trump"), "Ivanka Trump")
    assert not is_right(person("Hillary Clinton", "Clinton"), "Bill Clinton")


def test_campaigns_and_administrations_are_their_persons():
    assert is_right(Entity("e2", "Hillary Rodham Clinton campaign", "organization"),
                    "Hillary Clinton campaign")
    assert is_right(Entity("e2", "Obama administration", "organization"),
                    "Barack Obama administration")
    assert not is_right(Entity("e2", "Bill Clinton campaign", "organization"),
                        "Hillary Clinton campaign")
    assert not is_right(Entity("e2", "Donald Trump campaign", "organization"), "Donald Trump")


def test_none_rows_want_an_abstention():
    assert is_right(None, "NONE")
    assert not is_right(person("Donald Trump"), "NONE")
    assert not is_right(None, "Donald Trump")
