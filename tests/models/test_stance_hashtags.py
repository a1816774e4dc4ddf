"""Hashtags read as words before the stance model sees them."""
from models.stance.hashtags import HashtagSplitter

VOCABULARY = ["medicare", "for", "all", "feel", "the", "bern", "lock", "her", "up", "ma", "ga",
              "mag", "a", "not", "me", "us", "never", "trump", "##s", "2020"]


def test_camel_case_splits_where_the_case_changes():
    split = HashtagSplitter(VOCABULARY)
    assert split("Yes! #FeelTheBern #Trump2020 #MAGA") == "Yes! Feel The Bern Trump 2020 MAGA"


def test_a_one_case_hashtag_splits_into_the_fewest_vocabulary_words():
    split = HashtagSplitter(VOCABULARY)
    assert split("#medicareforall now") == "medicare for all now"
    assert split("#lockherup #notmeus") == "lock her up not me us"


def test_acronyms_and_unknown_words_stay_whole_without_their_mark():
    split = HashtagSplitter(VOCABULARY)
    # "ma ga" or "mag a" would need rare short words: an acronym stays one word
    assert split("#maga") == "maga"
    assert split("#zyxwv") == "zyxwv"


def test_text_without_hashtags_is_unchanged():
    text = "Prices rose 5% in 2020, officials said."
    assert HashtagSplitter(VOCABULARY)(text) == text
