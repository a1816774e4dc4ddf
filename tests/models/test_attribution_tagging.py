"""Windowing, BIO decoding and grouping of the attribution tagger, on hand-written text with a
fake model output (no trained weights needed; only the base tokenizer)."""
from __future__ import annotations

import numpy as np
import pytest

from models.attribution.decoding import TaggedSpan, tags_to_spans, viterbi
from models.attribution.encoding import (
    LABEL_ID,
    LABELS,
    central_owner,
    encode,
    gold_labels,
    quote_state,
    window_starts,
)
from models.attribution.grouping import group_quotes, quote_type, sentence_starts
from models.attribution.inference import log_probs_per_article

TEXT = (
    "Tax bill passes\n\n"
    "“We did it,” the senator said on Friday, “and we did it together.”\n\n"
    "Critics argued that the plan would hurt farmers."
)


def span_of(text: str, needle: str, role: str) -> TaggedSpan:
    start = text.index(needle)
    return TaggedSpan(role, start, start + len(needle))


@pytest.fixture(scope="module")
def tokenizer():
    from models.attribution.modeling import load_tokenizer

    return load_tokenizer()


def gold_tags(tokenizer, text, spans):
    article = encode(tokenizer, text)
    return article, gold_labels(article.offsets, [(s.role, s.start, s.end) for s in spans])


def expected_spans():
    return [
        span_of(TEXT, "“We did it,”", "Content"),
        span_of(TEXT, "the senator", "Source"),
        span_of(TEXT, "said", "Cue"),
        span_of(TEXT, "“and we did it together.”", "Content"),
        span_of(TEXT, "Critics", "Source"),
        span_of(TEXT, "argued", "Cue"),
        span_of(TEXT, "the plan would hurt farmers", "Content"),
    ]


def test_quotation_marks_survive_and_set_the_feature(tokenizer):
    article = encode(tokenizer, TEXT)
    pieces = [TEXT[s:e] for s, e in article.offsets]
    assert "“" in pieces and "”" in pieces
    inside = {TEXT[s:e] for (s, e), flag in zip(article.offsets, article.in_quote) if flag}
    assert {"“", "we", "together", "”"} <= {p.lower() for p in inside}
    assert "senator" not in inside and "farmers" not in inside
    assert quote_state('a "b" c\n"d')[list('a "b" c\n"d').index("c")] == 0


def test_windows_cover_everything_and_each_token_has_one_central_owner():
    starts = window_starts(1000)
    assert starts[0] == 0 and starts[-1] == 1000 - 254
    owner = central_owner(1000, starts)
    for token in (0, 300, 999):
        start = starts[owner[token]]
        assert start <= token < start + 254
    assert window_starts(10) == [0]


def test_windowed_scores_are_merged_back_in_token_order(tokenizer):
    text = " ".join(["Officials said the talks were useful."] * 120)  # > 600 wordpieces
    article = encode(tokenizer, text)
    assert len(article.input_ids) > 600

    def fake_forward(batch):  # the "label" of a wordpiece is its id modulo 7
        logits = np.full((*batch["input_ids"].shape, len(LABELS)), -5.0, dtype=np.float32)
        rows, cols = np.indices(batch["input_ids"].shape)
        logits[rows, cols, batch["input_ids"] % len(LABELS)] = 5.0
        return logits

    [scores] = log_probs_per_article([article], fake_forward, 101, 102, batch_size=3)
    assert scores.shape == (len(article.input_ids), len(LABELS))
    assert (scores.argmax(axis=1) == article.input_ids % len(LABELS)).all()


def test_viterbi_never_starts_a_span_with_inside():
    log_probs = np.log(np.full((3, len(LABELS)), 0.01))
    log_probs[0, LABEL_ID["O"]] = np.log(0.6)
    log_probs[1, LABEL_ID["I-Cue"]] = np.log(0.5)  # argmax would give O I-Cue
    log_probs[1, LABEL_ID["B-Cue"]] = np.log(0.4)
    log_probs[2, LABEL_ID["I-Cue"]] = np.log(0.9)
    assert [LABELS[t] for t in viterbi(log_probs)] == ["O", "B-Cue", "I-Cue"]


def test_gold_tags_decode_to_the_same_spans(tokenizer):
    spans = expected_spans()
    article, labels = gold_tags(tokenizer, TEXT, spans)
    log_probs = np.log(np.full((len(labels), len(LABELS)), 1e-4))
    log_probs[np.arange(len(labels)), labels] = 0.0
    decoded = tags_to_spans(viterbi(log_probs), article.offsets, TEXT)
    assert sorted(decoded, key=lambda s: s.start) == sorted(spans, key=lambda s: s.start)


def test_grouping_joins_a_quote_around_its_cue_and_links_sources():
    quotes = group_quotes(TEXT, expected_spans())
    assert len(quotes) == 2
    direct, indirect = quotes
    # the content of a direct quote is the words inside its marks (the tags include the marks)
    assert [f.text for f in direct.fragments()] == ["We did it", "and we did it together."]
    assert direct.content.text == "We did it,” the senator said on Friday, “and we did it together."
    assert direct.cue.text == "said" and direct.source.text == "the senator"
    assert direct.type == "direct"
    assert indirect.content.text == "the plan would hurt farmers"
    assert (indirect.cue.text, indirect.source.text, indirect.type) == ("argued", "Critics",
                                                                        "indirect")
    for quote in quotes:
        for span in (*quote.fragments(), quote.cue, quote.source):
            assert TEXT[span.start:span.end] == span.text == span.text.strip()


def test_grouping_keeps_separate_sentences_apart_and_takes_a_cue_from_the_sentence_before():
    text = "The mayor said: “Roads first.”\n\n“Then schools.” She said it twice."
    spans = [span_of(text, "The mayor", "Source"), span_of(text, "said", "Cue"),
             span_of(text, "“Roads first.”", "Content"), span_of(text, "“Then schools.”", "Content")]
    first, second = group_quotes(text, spans)
    assert first.cue.text == "said" and first.source.text == "The mayor"
    assert second.content.text == "Then schools." and not second.content_fragments


def test_grouping_joins_the_pieces_of_a_content_around_an_aside():
    text = "Most of the delegates — a group of party leaders — backed the mayor, the paper said."
    spans = [span_of(text, "Most of the delegates", "Content"),
             span_of(text, "backed the mayor", "Content"), span_of(text, "the paper", "Source"),
             span_of(text, "said", "Cue")]
    [quote] = group_quotes(text, spans)
    assert [f.text for f in quote.fragments()] == ["Most of the delegates", "backed the mayor"]
    assert (quote.cue.text, quote.source.text) == ("said", "the paper")
    # words that are not set off by dashes, commas or brackets are no aside: two quotes
    plain = text.replace(" — a group of party leaders — ", " from the party ")
    spans = [span_of(plain, "Most of the delegates", "Content"),
             span_of(plain, "backed the mayor", "Content"), span_of(plain, "the paper", "Source"),
             span_of(plain, "said", "Cue")]
    assert len(group_quotes(plain, spans)) == 2


def test_only_a_direct_quote_loses_its_marks_and_the_comma_before_its_cue():
    text = "''We won,'' Mr. Lee said. He called the deal “a disaster” for workers."
    spans = [span_of(text, "''We won,''", "Content"), span_of(text, "Mr. Lee", "Source"),
             span_of(text, "said", "Cue"), span_of(text, "He", "Source"),
             span_of(text, "called", "Cue"),
             span_of(text, "the deal “a disaster” for workers", "Content")]
    direct, mixed = group_quotes(text, spans)
    assert (direct.type, direct.content.text) == ("direct", "We won")
    assert (mixed.type, mixed.content.text) == ("mixed", "the deal “a disaster” for workers")
    for quote in (direct, mixed):
        assert text[quote.content.start:quote.content.end] == quote.content.text


def test_double_apostrophes_open_a_sentence():
    text = "''We won,'' Mr. Lee said. ''Now we govern.'' Aides cheered."
    assert sentence_starts(text) == [0, text.index("''Now"), text.index("Aides")]


def test_a_paragraph_break_ends_a_sentence_even_after_a_capital_letter():
    text = ('"Keep the pact," she said. "There is no plan B."\n\n'
            'The ministry said in a statement that talks would go on.')
    assert text.index("The ministry") in sentence_starts(text)
    longer = text + " Sen. Ruiz agreed."
    assert longer.index("Ruiz") not in sentence_starts(longer)
    spans = [span_of(text, '"Keep the pact,"', "Content"), span_of(text, "she", "Source"),
             span_of(text, "said", "Cue"), span_of(text, '"There is no plan B."', "Content"),
             span_of(text, "The ministry", "Source"), span_of(text, "said in a statement", "Cue"),
             span_of(text, "that talks would go on", "Content")]
    quotes = group_quotes(text, spans)
    # the second quoted sentence is not the next paragraph's statement
    assert [q.source.text if q.source else None for q in quotes][-1] == "The ministry"
    assert all(q.source is None or q.source.text != "The ministry"
               for q in quotes if "plan B" in q.content.text)


def test_mixed_and_indirect_types():
    text = 'He called the deal “a disaster” for workers.'
    assert quote_type(text, [span_of(text, "the deal “a disaster” for workers", "Content")]) == "mixed"
    assert quote_type(text, [span_of(text, "a disaster", "Content")]) == "direct"
    assert quote_type(text, [span_of(text, "for workers", "Content")]) == "indirect"


def test_a_tagged_run_is_cut_at_a_line_break(tokenizer):
    text = "Aides said the vote was close\n\nand the count went on."
    article = encode(tokenizer, text)
    tags = np.full(len(article.input_ids), LABEL_ID["I-Content"])
    tags[0] = LABEL_ID["B-Content"]
    spans = tags_to_spans(tags, article.offsets, text)
    assert [text[s.start:s.end] for s in spans] == ["Aides said the vote was close",
                                                    "and the count went on."]


def test_empty_and_blank_articles_give_no_spans(tokenizer):
    articles = [encode(tokenizer, ""), encode(tokenizer, " \n\n ")]

    def fake_forward(batch):
        return np.zeros((*batch["input_ids"].shape, len(LABELS)), dtype=np.float32)

    for article, scores in zip(articles, log_probs_per_article(articles, fake_forward, 101, 102)):
        assert scores.shape == (0, len(LABELS))
        assert tags_to_spans(viterbi(scores), article.offsets, "") == []


def test_a_span_cut_inside_a_word_is_widened_to_the_whole_word_but_not_past_a_clitic(tokenizer):
    text = "Officials praised Kowalczykowski. He’s sure they aren’t done, she said."
    article = encode(tokenizer, text)
    words = [text[s:e] for s, e in article.offsets]
    surname = [i for i, (s, _e) in enumerate(article.offsets)
               if text.index("Kowalczykowski") <= s < text.index(".")]
    assert len(surname) > 1, words  # the name is several wordpieces

    def decode(first: int, last: int) -> str:
        tags = np.full(len(words), LABEL_ID["O"])
        tags[first], tags[first + 1:last + 1] = LABEL_ID["B-Content"], LABEL_ID["I-Content"]
        [span] = tags_to_spans(tags, article.offsets, text)
        return text[span.start:span.end]

    praised = words.index("praised")
    assert decode(praised, surname[0]) == "praised Kowalczykowski"  # ends inside the name
    assert decode(surname[1], surname[-1]) == "Kowalczykowski"  # starts inside it
    he = words.index("He")
    assert decode(he, he) == "He"  # 'He’s': the clitic is a word of its own in PolNeAR
    aren = words.index("aren")
    apostrophe = aren + 1
    assert words[apostrophe] == "’"
    assert decode(aren, apostrophe) == "aren’t"  # the tagged apostrophe brings its clitic


def test_whole_word_widening_stops_at_punctuation_and_text_edges():
    from models.attribution.decoding import _whole_words

    text = "the workers’, he said"
    assert text[slice(*_whole_words(text, 0, 12))] == "the workers’"  # a closing mark stays
    assert _whole_words("abc def", 0, 0) == (0, 0)
    assert _whole_words("abc", 1, 3) == (0, 3)


def test_double_apostrophes_are_quotation_marks_for_the_quote_type():
    text = "''We will win,'' Lena Ortiz said. She said that ''nothing'' had changed."
    assert quote_type(text, [span_of(text, "''We will win,''", "Content")]) == "direct"
    assert quote_type(text, [span_of(text, "We will win", "Content")]) == "direct"
    assert quote_type(text, [span_of(text, "''nothing'' had changed", "Content")]) == "mixed"


def test_british_single_marks_are_quotation_marks_and_apostrophes_are_not():
    text = ("'We have acted,' Ms Dunmore said. 'Nobody should expect a U-turn.'\n\n"
            "She called the deal 'fair' and said Britain's boats weren't losing out.")
    spans = [span_of(text, "'We have acted,'", "Content"), span_of(text, "Ms Dunmore", "Source"),
             span_of(text, "said", "Cue"),
             span_of(text, "'Nobody should expect a U-turn.'", "Content"),
             span_of(text, "She", "Source"), span_of(text, "called", "Cue"),
             span_of(text, "the deal 'fair'", "Content"),
             span_of(text, "Britain's boats weren't losing out", "Content")]
    said, called, boats = group_quotes(text, spans)
    # '"A," she said. "B."' is one quote of two pieces, each without its marks
    assert said.type == "direct"
    assert [f.text for f in said.fragments()] == ["We have acted", "Nobody should expect a U-turn."]
    assert (called.type, called.content.text) == ("mixed", "the deal 'fair'")
    assert (boats.type, boats.content.text) == ("indirect", "Britain's boats weren't losing out")
    assert text.index("'Nobody") in sentence_starts(text)
    nested = "‘He said “no” to me,’ she said of the '90s and the players' union."
    assert quote_type(nested, [span_of(nested, "‘He said “no” to me,’", "Content")]) == "direct"
    assert quote_type(nested, [span_of(nested, "the '90s and the players' union", "Content")]) \
        == "indirect"


def test_the_decoding_bias_shifts_content_alone_by_its_offset():
    from models.attribution.tune import bias_id, label_bias

    weights = np.array([1.0, 4.0, 2.0, 3.0, 2.0, 2.5, 1.5])
    plain, shifted = label_bias(weights, 1.0, 0.5), label_bias(weights, 1.0, 0.5, -0.6)
    content = [i for i, label in enumerate(LABELS) if label.endswith("-Content")]
    assert np.allclose((shifted - plain)[content], -0.6)
    assert np.allclose(np.delete(shifted - plain, content), 0.0)
    assert plain[LABELS.index("B-Cue")] == -np.log(3.0) - 0.5  # undoes the weight, penalises B-
    assert bias_id(plain) == bias_id(plain.copy()) != bias_id(shifted)
