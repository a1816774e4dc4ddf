"""The within-article speaker sieve, on tiny hand-written articles."""
from models.baseline import RuleQuoteExtractor
from models.pipeline import Pipeline
from models.speakers import SpeakerResolver
from models.types import Document, Entity

PIPELINE = Pipeline([RuleQuoteExtractor(), SpeakerResolver()])


def analyze(text: str) -> Document:
    return PIPELINE.analyze(Document(text))


def speaker_of(doc: Document, content_part: str) -> Entity | None:
    quote = next(q for q in doc.quotes if content_part in q.content.text)
    return doc.entity(quote.speaker.entity_key) if quote.speaker else None


def test_name_variants_cluster_into_one_entity():
    doc = analyze(
        "U.S. President Walter Hale said the new tariffs would stay in place.\n\n"
        "Hale said the talks with Canada had gone well.\n\n"
        "President Hale added that he expected a deal by June."
    )
    speakers = {speaker_of(doc, part).key for part in ("tariffs", "talks", "deal")}
    assert len(speakers) == 1
    entity = doc.entity(speakers.pop())
    assert entity.name == "Walter Hale"
    assert "Hale" in entity.aliases and "U.S. President Walter Hale" in entity.aliases


def test_description_resolves_to_titled_name():
    doc = analyze(
        "Japanese Prime Minister Kenji Sato met French President Anne Moreau in Paris.\n\n"
        "Japan's prime minister said the two countries would sign a treaty next year."
    )
    assert speaker_of(doc, "treaty").name == "Kenji Sato"


def test_pronoun_skips_the_object_of_its_own_cue():
    doc = analyze(
        "David Clark said that Robert Miller had promised to raise the issue in his talks.\n\n"
        "“I am very grateful for your help,” he told Miller."
    )
    assert speaker_of(doc, "grateful").name == "David Clark"


def test_apposition_description_and_pronoun():
    doc = analyze(
        "Paul Reed, the director of the budget office, said the deficit would shrink.\n\n"
        "The director said the cuts would hit defence first."
    )
    assert speaker_of(doc, "deficit").name == "Paul Reed"
    assert speaker_of(doc, "cuts").name == "Paul Reed"


def test_unattributed_paragraph_continues_the_previous_quote():
    doc = analyze(
        "“We are not going back into that deal, not now,” Linda Park wrote on Monday.\n\n"
        "“Far too many loopholes and no way out of it. One-on-one talks would serve us better.”"
    )
    assert speaker_of(doc, "loopholes").name == "Linda Park"


def test_organization_speaker():
    doc = analyze("The White House said the summit would go ahead as planned.")
    entity = speaker_of(doc, "summit")
    assert entity.kind == "organization" and entity.name == "White House"


def test_two_people_with_one_surname_stay_apart():
    doc = analyze(
        "John Smith said the factory would close.\n\n"
        "Mary Smith said the workers would strike."
    )
    assert speaker_of(doc, "factory").name == "John Smith"
    assert speaker_of(doc, "strike").name == "Mary Smith"


def test_a_prepositional_phrase_of_the_cue_does_not_exclude_the_speaker():
    doc = analyze(
        "Helen Marsh spoke in Boston on Monday.\n\n"
        "In Marsh's speech to the American Export Association, she said the new rules would "
        "cut costs."
    )
    assert speaker_of(doc, "rules").name == "Helen Marsh"


def test_the_addressee_of_the_cue_is_not_the_speaker():
    doc = analyze(
        "Tom Berg met Ana Ruiz in Madrid on Friday.\n\n"
        "He said to Ruiz that the bridge would be finished in May."
    )
    assert speaker_of(doc, "bridge").name == "Tom Berg"


def test_a_pronoun_subject_passes_its_referent_on():
    doc = analyze(
        "Governor Alan Brooks criticised Senator Paul Diaz on Monday. Then he turned to "
        "Mayor Frank Ortiz.\n\n"
        "He said the budget would be balanced by the spring."
    )
    assert speaker_of(doc, "budget").name == "Alan Brooks"


def test_a_campaign_is_named_after_its_candidate():
    doc = analyze(
        "Senator Ruth Adler and Governor Mark Fenn are both running for president.\n\n"
        "The Adler campaign said the debate would take place in Ohio.\n\n"
        "Mr. Fenn's aides said he would not attend."
    )
    assert speaker_of(doc, "debate").name == "Ruth Adler campaign"
    assert speaker_of(doc, "attend").name == "Mark Fenn campaign"


def test_an_indefinite_description_is_nobody_in_particular():
    doc = analyze(
        "Senator Ruth Adler spoke in Ohio on Monday.\n\n"
        "Some senators said the bill would not pass this year."
    )
    quote = next(q for q in doc.quotes if "bill" in q.content.text)
    assert quote.source is not None and quote.source.text == "Some senators"
    assert quote.speaker is None


def test_a_statement_speaks_for_the_last_named_speaker():
    doc = analyze(
        "Defense Secretary Carl Moody said the review was complete.\n\n"
        "The statement said the new rules would apply from May."
    )
    assert speaker_of(doc, "rules").name == "Carl Moody"


def test_an_abbreviated_title_matches_a_description():
    doc = analyze(
        "Sen. Ruth Adler met former Gov. Carl Moody in Miami.\n\n"
        "The former governor said the state needed new roads."
    )
    assert speaker_of(doc, "roads").name == "Carl Moody"


def test_an_organisation_named_administration_or_statement_speaks_for_itself():
    doc = analyze(
        "Senator Ruth Adler asked for a review of the drug on Monday.\n\n"
        "The Food and Drug Administration said the drug was safe.\n\n"
        "The White House statement said the review would take a year."
    )
    assert speaker_of(doc, "drug was safe").name == "Food and Drug Administration"
    assert speaker_of(doc, "a year").name == "White House"


def test_hyphenated_names_stay_whole():
    doc = analyze(
        "U.N. Secretary-General Ban Ki-moon arrived in Paris on Monday.\n\n"
        "Ban Ki-moon said the agreement would enter into force this year."
    )
    assert speaker_of(doc, "agreement").name == "Ban Ki-moon"


def test_a_writers_i_is_the_signature_or_the_bio_line():
    letters = analyze(
        "Letters to the editor.\n\n"
        "I said last year that the bridge would cost too much.\n\n"
        "Helen Marsh.\n\n"
        "I said the new school was a good idea.\n\n"
        "Tom Berg."
    )
    assert speaker_of(letters, "bridge").name == "Helen Marsh"
    assert speaker_of(letters, "school").name == "Tom Berg"
    op_ed = analyze(
        "Why the budget matters.\n\n"
        "I said in 2014 that the state could not afford the plan.\n\n"
        "Carl Moody is the governor of Ohio."
    )
    assert speaker_of(op_ed, "afford").name == "Carl Moody"
    unsigned = analyze("Our view.\n\nI said in 2014 that the state could not afford the plan.")
    assert speaker_of(unsigned, "afford") is None


def test_party_words_before_a_name_are_not_part_of_it_but_stay_in_organisations():
    doc = analyze(
        "Democrat Laura Finch said the bill would pass this week.\n\n"
        "The Republican National Committee said the bill would fail."
    )
    assert speaker_of(doc, "pass").name == "Laura Finch"
    assert speaker_of(doc, "fail").name == "Republican National Committee"


def person_clusters(text: str) -> list[str]:
    from models.nlp import parse_many
    from models.speakers.article import ParsedArticle

    article = ParsedArticle(text, parse_many([text])[0], [])
    return [c.name for c in article.clusters if c.kind == "person"]


def test_a_headline_does_not_run_a_name_into_the_next_words():
    # spaCy reads "Walter Hale Denies Report" as one name; the body says who the person is
    text = ("Senator Walter Hale Denies Report On Taxes\n\n"
            "Hale said the report was false.\n\nWalter Hale spoke in Toledo on Monday.")
    assert person_clusters(text) == ["Walter Hale"]


def test_no_name_runs_over_a_line_break():
    from spacy.tokens import Span

    from models.nlp import parse_many
    from models.speakers.article import _trim_entity

    text = "Senator Walter Hale Denies Report On Taxes\n\nHale said the report was false."
    doc = parse_many([text])[0]
    # spaCy used to tag "Taxes\n\nHale" as one person (paragraph breaks now bound its
    # sentences, but an entity may still run over one)
    words = [t.text for t in doc]
    glued = Span(doc, words.index("Taxes"), words.index("Hale", 5) + 1, label="PERSON")
    assert _trim_entity(glued).text == "Hale"
    assert all("\n" not in e.text for e in map(_trim_entity, doc.ents) if e is not None)


def test_a_party_adjective_inside_a_description_is_not_the_speaker():
    doc = analyze(
        "Many Democratic officials said the campaign would focus on turnout.\n\n"
        "Ann Cole said the race was close."
    )
    assert speaker_of(doc, "turnout") is None


def test_they_is_an_organisation_of_its_own_sentence_or_nobody():
    doc = analyze(
        "Northwind Bank said on Monday that they would cut 300 jobs.\n\n"
        "Union leaders met on Tuesday. They said the cuts would hurt the town."
    )
    assert speaker_of(doc, "300 jobs").name == "Northwind Bank"
    assert speaker_of(doc, "hurt the town") is None


def test_twitter_and_a_family_in_the_plural_are_not_people():
    # spaCy's small model tags both as PERSON
    assert person_clusters("Ann Cole posted a video on Twitter on Sunday.") == ["Ann Cole"]
    assert person_clusters("Bill Cole and Mary Cole arrived. The Coles said nothing.") \
        == ["Bill Cole", "Mary Cole"]


def test_an_apposition_is_not_a_title_for_itself():
    # "with Mika Brzezinski, the Democratic presidential candidate stated": when the
    # description is itself the source, an apposition reading of it is a misparse
    from models.nlp import parse_many
    from models.speakers.article import ParsedArticle
    from models.speakers.sieve import _description

    text = ("Tom Byrd, the party's front-runner, spoke on Monday.\n\n"
            "Later the front-runner said the tax would be cut.")
    parsed = parse_many([text])[0]
    article = ParsedArticle(text, parsed, [])
    first = text.index("the party's front-runner")
    itself = parsed.char_span(first, first + len("the party's front-runner"))
    later = parsed.char_span(text.index("the front-runner"), text.index(" said"))
    assert _description(article, later).name == "Tom Byrd"
    assert _description(article, itself) is None


def test_a_possessor_spacy_reads_as_a_plural_noun_still_owns_the_campaign():
    doc = analyze(
        "Bernie Sanders and Donald Trump traded barbs in California on Monday.\n\n"
        "Sanders’ campaign said it would seek a recount in Kentucky."
    )
    assert speaker_of(doc, "recount").name == "Bernie Sanders campaign"


def test_a_tweet_or_a_statement_speaks_for_its_owner():
    doc = analyze(
        "Linda Perez spoke in Denver on Monday, and Carl Ng answered her on Tuesday.\n\n"
        "Perez’s tweet said the plan would cost too much.\n\n"
        "His statement said the plan was fully funded."
    )
    assert speaker_of(doc, "too much").name == "Linda Perez"
    assert speaker_of(doc, "fully funded").name == "Carl Ng"


def test_a_country_s_government_speaks_as_that_country():
    doc = analyze(
        "Moscow and Washington held talks on Monday.\n\n"
        "The Russian government said the sanctions were illegal.\n\n"
        "Japanese officials said the summit would take place in May."
    )
    assert speaker_of(doc, "sanctions").name == "Russia"
    assert speaker_of(doc, "summit").name == "Japan"


def test_former_officials_do_not_speak_for_the_country():
    doc = analyze("Former Japanese officials said the summit was a mistake.")
    assert speaker_of(doc, "summit") is None or speaker_of(doc, "summit").name != "Japan"


def test_a_company_or_a_faction_named_with_a_country_does_not_speak_for_it():
    doc = analyze(
        "American Airlines officials said the flights would resume in May.\n\n"
        "Russian opposition officials said the vote had been rigged.\n\n"
        "Senior Chinese officials said the talks would continue."
    )
    for part in ("flights", "vote"):
        found = speaker_of(doc, part)
        assert found is None or found.name not in {"United States", "Russia"}, part
    assert speaker_of(doc, "talks").name == "China"


def test_an_organisation_keeps_the_title_and_demonym_words_of_its_name():
    doc = analyze(
        "The Justice Department said the inquiry was closed.\n\n"
        "American Crossroads said the ads would run in Ohio."
    )
    assert speaker_of(doc, "inquiry").name == "Justice Department"
    assert speaker_of(doc, "ads").name == "American Crossroads"


def test_a_long_direct_quote_does_not_use_up_the_pronoun_s_lookback():
    doc = analyze(
        "Maria Lopez toured the new plant in Dayton on Monday.\n\n"
        "“We start tomorrow. The line opens in May. Every worker keeps a job. The union agreed. "
        "The city agreed too. We are ready,” she said."
    )
    assert speaker_of(doc, "We are ready").name == "Maria Lopez"


def test_a_name_in_a_clause_of_the_cue_s_object_is_not_excluded():
    # "reporters" is the addressee; Haddad, inside the clause hanging from it, is not
    doc = analyze(
        "Omar Haddad spoke against the curfew on Monday.\n\n"
        "He told reporters, who had asked about Haddad's plans, that the curfew would fail."
    )
    assert speaker_of(doc, "curfew would fail").name == "Omar Haddad"


def test_a_capitalised_subject_tagged_as_a_common_noun_may_be_a_missed_name():
    from types import SimpleNamespace

    from models.speakers.article import _may_be_name

    def token(text, pos, dep):
        return SimpleNamespace(text=text, pos_=pos, dep_=dep)

    assert _may_be_name(token("Wendt", "PROPN", "pobj"), set())
    assert _may_be_name(token("Wendt", "NOUN", "nsubj"), set())  # "Wendt did rule out ..."
    assert not _may_be_name(token("Wendt", "NOUN", "dobj"), set())
    # "Price matters most" in a story that also speaks of a price: not Ms. Price
    assert not _may_be_name(token("Price", "NOUN", "nsubj"), {"price", "the"})


def test_a_headline_name_of_one_word_is_cut_back_too():
    # spaCy reads "Martin Says Tariffs Will Stay In" as one name
    text = ("Martin Says Tariffs Will Stay In Place\n\n"
            "President Martin told reporters on Monday that the tariffs would stay.")
    assert person_clusters(text) == ["Martin"]


def test_mr_with_a_shared_surname_is_not_the_woman_of_the_full_name():
    doc = analyze(
        "President Hale said the tariffs would stay.\n\n"
        "Mr. Hale spoke in Toledo on Monday, with the first lady, Martha Hale, at his side.\n\n"
        "Mr. Hale said the talks had gone well."
    )
    assert speaker_of(doc, "tariffs").name != "Martha Hale"
    assert speaker_of(doc, "tariffs") == speaker_of(doc, "talks")


def test_mr_and_mrs_with_only_a_surname_are_two_people():
    from models.nlp import parse_many
    from models.speakers.article import ParsedArticle

    text = "Mrs. Hale said the school would open. Mr. Hale said the road would close."
    article = ParsedArticle(text, parse_many([text])[0], [])
    assert sorted(c.female for c in article.clusters if c.kind == "person") == [False, True]


def test_business_titles_are_not_part_of_a_name():
    from models.speakers.article import _after_titles

    assert _after_titles("Wells Fargo CEO John Stumpf") == "John Stumpf"
    assert _after_titles("North Dakota RNC Committeeman Curly Haugland") == "Curly Haugland"


def test_an_organisation_is_also_known_by_its_other_usual_form():
    doc = analyze("The Justice Department said the inquiry was closed.")
    entity = speaker_of(doc, "inquiry")
    assert entity.name == "Justice Department"
    assert "Department of Justice" in entity.aliases


def test_a_lower_case_title_before_a_name_is_a_title():
    doc = analyze(
        "Walter Hale spoke in Toledo on Monday, and Hale campaign manager Tom Reyes "
        "listened.\n\n"
        "Asked about the polls, the campaign manager said the race was tied."
    )
    reyes = speaker_of(doc, "race was tied")
    assert reyes.name == "Tom Reyes"
    assert "Hale campaign manager Tom Reyes" in reyes.aliases


def test_a_noun_that_is_no_role_is_not_a_title():
    assert person_clusters("Trump supporter John Smith said the rally was loud.") == ["John Smith"]


def test_a_relative_clause_on_an_apposition_refers_to_the_name():
    doc = analyze("Critics included Martha Quinn, a banker and former Treasury official who has "
                  "said the plan would fail.")
    assert speaker_of(doc, "plan would fail").name == "Martha Quinn"


def test_an_acronym_finds_the_organisation_it_abbreviates():
    from models.nlp import parse_many
    from models.speakers.article import ParsedArticle

    text = "The Farmers Trade Alliance opposed the bill on Monday."
    article = ParsedArticle(text, parse_many([text])[0], [])
    assert article.organization_named("the FTA").name == "Farmers Trade Alliance"
    assert article.organization_named("the NRA") is None


def test_the_state_is_the_us_state_named_before_it():
    doc = analyze("In Ohio, Toledo reported new cases of lead poisoning on Monday.\n\n"
                  "The state said the water was safe.")
    assert speaker_of(doc, "water was safe").name == "Ohio"


def test_an_untagged_name_whose_phrase_starts_before_the_source_span():
    # the tagger's source is "Quarn of Ohio", while the parse hangs "boss" on "Quarn": the
    # name is the part inside the span (this raised IndexError once)
    from spacy.tokens import Doc

    from models.nlp import parse_many
    from models.speakers.article import ParsedArticle
    from models.speakers.sieve import resolve_mention

    vocab = parse_many(["warm up"])[0].vocab
    parsed = Doc(vocab, words=["boss", "Quarn", "of", "Ohio", "said", "it", "."],
                 spaces=[True, True, True, True, True, False, False],
                 pos=["NOUN", "PROPN", "ADP", "PROPN", "VERB", "PRON", "PUNCT"],
                 heads=[1, 4, 1, 2, 4, 4, 4],
                 deps=["compound", "nsubj", "prep", "pobj", "ROOT", "dobj", "punct"])
    article = ParsedArticle(parsed.text, parsed, [])
    start = parsed.text.index("Quarn")
    cluster, rule = resolve_mention(article, start, start + len("Quarn of Ohio"))
    assert (cluster.name, rule) == ("Quarn", "name")


def test_his_campaign_is_the_candidate_s_not_the_nearest_man_s():
    from datetime import date

    doc = PIPELINE.analyze(Document(
        "Bernie Sanders spoke to supporters in Brooklyn on Monday. The pollster Tom Reyes said "
        "the race was close.\n\nHis campaign said the rally drew 20,000 people.",
        published_at=date(2016, 4, 20)))
    assert speaker_of(doc, "rally drew").name == "Bernie Sanders campaign"


def test_a_newspaper_s_fact_checker_speaks_for_the_newspaper():
    doc = analyze("The claim was rated false by the Washington Post fact checker, who said the "
                  "numbers were wrong.\n\nThe Washington Post fact checker said the figure was "
                  "made up.")
    assert speaker_of(doc, "figure was made up").name == "Washington Post"


def test_a_short_first_name_is_the_same_person():
    assert person_clusters("Katherine Vale, 71, voted early on Tuesday. Her neighbour waved at "
                           "Kate Vale and went inside.") == ["Katherine Vale"]
    assert sorted(person_clusters("Harold Vale voted on Tuesday. Henry Vale stayed home.")) == [
        "Harold Vale", "Henry Vale"]


def test_local_titles_and_symbols_are_no_part_of_a_name():
    doc = analyze(
        "Councillor Bob Harris said the bridge would close in May.\n\n"
        "Assemblywoman Rita Gomez said she would vote no.\n\n"
        "Zoë Müller 🇩🇪 said the plan came too late."
    )
    assert speaker_of(doc, "bridge").name == "Bob Harris"
    assert speaker_of(doc, "vote").name == "Rita Gomez"
    assert speaker_of(doc, "too late").name == "Zoë Müller"
    # titles that are surnames too stay names
    doc = analyze("Julie Bishop said the treaty was signed.\n\nBishop added that it would hold.")
    assert speaker_of(doc, "signed") == speaker_of(doc, "hold")
    assert speaker_of(doc, "hold").name == "Julie Bishop"


def test_a_quote_opening_its_paragraph_with_nyt_marks_continues_the_quote_above():
    from models.attribution.decoding import TaggedSpan
    from models.attribution.grouping import group_quotes

    text = ("''We will build the bridge,'' Ann Lee said on Monday. Her rival, Tom Ward, "
            "disagreed.\n\n''And we will pay for it ourselves.''")

    def tagged(needle, role):
        start = text.index(needle)
        return TaggedSpan(role, start, start + len(needle))

    doc = Document(text)
    doc.quotes = group_quotes(text, [
        tagged("''We will build the bridge,''", "Content"), tagged("Ann Lee", "Source"),
        tagged("said", "Cue"), tagged("''And we will pay for it ourselves.''", "Content")])
    [doc] = SpeakerResolver()([doc])
    # the content starts inside the marks: the paragraph holds nothing before the quote
    assert speaker_of(doc, "pay for it").name == "Ann Lee"


def test_the_short_form_of_an_organisation_is_the_organisation():
    doc = analyze(
        "The Federal Maritime Commission said on Monday that it would review the port fees.\n\n"
        "Shippers welcomed the move.\n\n"
        "The Commission said the review would take six months."
    )
    assert speaker_of(doc, "six months").name == "Federal Maritime Commission"
    assert speaker_of(doc, "six months").key == speaker_of(doc, "port fees").key
    for other in ("The White House", "Freedom House"):  # "the House" is a body of its own
        doc = analyze(
            f"{other} said on Monday that the president would sign the bill.\n\n"
            "The House said the vote would come on Friday."
        )
        assert speaker_of(doc, "vote").name == "House"


def test_a_body_owned_by_someone_else_is_not_the_organisation_named_before():
    doc = analyze(
        "The Port Authority said on Monday that the new fees would stay.\n\n"
        "The fishermen's federation said it would challenge the fees in court.\n\n"
        "The authority said that the fees would pay for a new harbour wall."
    )
    federation = speaker_of(doc, "challenge")
    assert federation is None or federation.name != "Port Authority"
    assert speaker_of(doc, "harbour wall").name == "Port Authority"  # a bare one refers back


def test_a_spokesman_for_a_named_person_speaks_for_that_person():
    doc = analyze(
        "Ministry spokesman Ravi Nair said on Monday that the talks would resume in May.\n\n"
        "A spokesman for Finance Minister Laura Kemp said that she would attend the talks."
    )
    assert speaker_of(doc, "she would attend").name == "Laura Kemp"
    assert speaker_of(doc, "resume in May").name == "Ravi Nair"


def test_a_paragraph_starts_a_new_sentence_for_the_pronouns():
    # the parser alone runs the second paragraph's last sentence on into "Warren hit back.",
    # and "she" then took that sentence's first subject
    doc = analyze(
        "Senator Elizabeth Warren and Senator Amy Klobuchar traded barbs over health care on "
        "Tuesday night.\n\n"
        "Klobuchar said Warren's plan would \"kick millions off their insurance.\" She told the "
        "audience that her own approach, a public option, was \"a plan that works.\"\n\n"
        "Warren hit back. \"I don't understand why anybody runs for president just to talk "
        "about what we can't do,\" she said."
    )
    assert speaker_of(doc, "anybody runs").name == "Elizabeth Warren"


def test_a_lone_adjective_is_not_a_person():
    doc = analyze(
        "Kevin Marsh said that parents should look at their card statements.\n\n"
        "Harsh? He doesn't think so. \"I don't judge what people spend on,\" he said."
    )
    assert speaker_of(doc, "judge").name == "Kevin Marsh"


def test_a_surname_tagged_as_a_place_after_a_first_name_is_a_person():
    # after this first paragraph, spaCy tags "Muilenburg" as a place and leaves "Dennis" out
    doc = analyze(
        "The regulator did not say when its panel would report.\n\n"
        "Dennis Muilenburg, Boeing's chief executive, wrote in a letter to airlines that the "
        "company would release a fix soon. He said that the fix would make the aircraft even "
        "safer."
    )
    assert speaker_of(doc, "even safer").name == "Dennis Muilenburg"


def test_a_named_spokesman_speaks_as_themself():
    doc = analyze(
        "A spokeswoman for Finance Minister Laura Kemp, Jane Ortiz, said that the minister "
        "would attend the talks."
    )
    assert speaker_of(doc, "attend the talks").name == "Jane Ortiz"


def test_the_board_of_the_company_just_named_is_that_company():
    doc = analyze(
        "Boeing said on Monday that its jets were safe.\n\n"
        "The company's board said that it would review the design."
    )
    assert speaker_of(doc, "review the design").name == "Boeing"


def test_a_common_word_opening_a_sentence_is_no_organisation():
    doc = analyze(
        "Three rural hospitals closed last year.\n\n"
        "Hospital officials said that the closures had cost hundreds of jobs."
    )
    speaker = speaker_of(doc, "hundreds of jobs")
    assert speaker is None or speaker.name != "Hospital"
