"""Small, pure helpers on names and descriptions, shared by the sieve and cross-article linking."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Words that may precede a name without being part of it ("President Trump", "Mr. Obama").
HONORIFICS = frozenset(
    "mr mrs ms miss dr sir dame lord lady rev gen sen rep gov lt col sgt capt adm prof".split()
)
TITLE_WORDS = frozenset(
    """
    president vice prime minister secretary senator sen congressman congresswoman
    representative rep governor gov mayor director chief chairman chairwoman chair speaker
    leader ambassador judge justice attorney general commissioner spokesman spokeswoman
    spokesperson candidate nominee chancellor king queen prince premier treasurer adviser
    advisor former first lady deputy acting state trade senate majority minority whip
    ceo cfo coo executive committeeman committeewoman chairperson strategist pollster
    councillor councilor councilman councilwoman councilmember alderman alderwoman
    assemblyman assemblywoman assemblymember sheriff superintendent comptroller lieutenant
    commander colonel admiral sergeant detective inspector professor archbishop rabbi
    """.split()  # not Bishop, Pope, Cardinal or Captain: surnames too ("Julie Bishop")
)
# Role nouns that end a lower-case title before a name ("campaign manager Barry Bennett").
LOWER_CASE_TITLES = TITLE_WORDS - {"former", "first", "state", "trade", "acting", "vice"} | {
    "manager", "aide", "counsel", "economist", "editor", "correspondent", "lawmaker", "officer",
    "official",
}
# Words that news copy puts before a name but that are not part of it: party and camp
# ("Democrat Hillary Clinton", "GOP nominee Donald Trump"), and roles spaCy often takes into
# the name ("Rival Hillary Clinton", "Founder Beverly Bond").
AFFILIATIONS = frozenset(
    """
    democrat democratic republican gop independent conservative liberal libertarian
    progressive rival fellow founder pastor reverend activist billionaire businessman
    """.split()
)
# One-word names spaCy's small model tags as people in news copy (counted on PolNeAR train):
# platforms and companies, which speak as organisations ("Twitter said"), and words that
# name nobody ("Brexit", "Latinos").
ORGANIZATIONS_TAKEN_FOR_PEOPLE = frozenset(
    """
    twitter facebook instagram snapchat youtube google gmail reddit politico breitbart
    gawker fox quinnipiac pfizer theranos navient upshot playbook
    """.split()
)
NOBODY_TAKEN_FOR_PEOPLE = frozenset(
    "brexit obamacare medicare medicaid keystone latinos latino hispanics jesus god".split()
)
# Demonyms and country names written the same way in every description.
_PLACE_ALIASES = {
    "u.s.": "us", "us": "us", "u.s": "us", "american": "us", "america": "us", "united": "us",
    "states": "us", "japanese": "japan", "japan": "japan", "chinese": "china", "china": "china",
    "korean": "korea", "korea": "korea", "south": "south", "north": "north", "russian": "russia",
    "russia": "russia", "british": "uk", "britain": "uk", "u.k.": "uk", "uk": "uk",
    "french": "france", "france": "france", "german": "germany", "germany": "germany",
    "mexican": "mexico", "mexico": "mexico", "canadian": "canada", "canada": "canada",
    "indian": "india", "india": "india", "israeli": "israel", "israel": "israel",
    "iranian": "iran", "iran": "iran", "white": "white", "house": "house",
    "turkish": "turkey", "turkey": "turkey", "ukrainian": "ukraine", "ukraine": "ukraine",
    "syrian": "syria", "syria": "syria", "italian": "italy", "italy": "italy",
    "australian": "australia", "australia": "australia", "philippine": "philippines",
    "filipino": "philippines", "philippines": "philippines",
}
# The country a demonym or country word stands for, as the news names it ("Korea" is left
# out: North or South decides).
_COUNTRY_NAMES = {
    "us": "United States", "japan": "Japan", "china": "China", "russia": "Russia",
    "uk": "Britain", "france": "France", "germany": "Germany", "mexico": "Mexico",
    "canada": "Canada", "india": "India", "israel": "Israel", "iran": "Iran",
    "turkey": "Turkey", "ukraine": "Ukraine", "syria": "Syria", "italy": "Italy",
    "australia": "Australia", "philippines": "Philippines",
}


def country_name(word: str) -> str | None:
    """"Russian", "Russia's", "U.S." -> the country's name; None for any other word."""
    return _COUNTRY_NAMES.get(_PLACE_ALIASES.get(fold(strip_possessive(word)), ""))


# Parties as news copy abbreviates them ("the GOP nominee" is the Republican nominee).
_PARTY_ALIASES = {"gop": "republican", "dem": "democratic", "democrat": "democratic"}
# The fifty U.S. states, folded ("the state" refers back to one; a state party's other name).
US_STATES = frozenset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon
    pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming
    """.split()
) | {"new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota",
     "rhode island", "south carolina", "south dakota", "west virginia"}
# Words that pin a role to one country, party or state: a description that has one of them
# only fits a role that has it too ("the Russian president" is not the French president).
QUALIFIERS = frozenset(
    set(_PLACE_ALIASES.values()) - {"south", "north", "white", "house"}
    | {"democratic", "republican", "independent", "libertarian"}
    | {state for state in US_STATES if " " not in state}
)
# Abbreviated titles, spelled out so that "former Gov. Jeb Bush" matches "the former governor".
_TITLE_ABBREVIATIONS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
    "sec": "secretary", "amb": "ambassador", "atty": "attorney", "pres": "president",
    "lt": "lieutenant", "col": "colonel", "sgt": "sergeant", "adm": "admiral", "prof": "professor",
    "congressman": "representative", "congresswoman": "representative",
}
DEMONYMS = frozenset(
    "u.s us u.s. american japanese chinese korean russian british french german mexican "
    "canadian indian israeli iranian".split()
)
_STOP = frozenset("the a an of 's ’s his her their its for to and in at on by with who".split())
_TOKEN = re.compile(r"[A-Za-z][A-Za-z.'’-]*")

# First names that tell us a "she" can refer to the person (the sieve prefers agreeing ones).
FEMALE_FIRST_NAMES = frozenset(
    """
    hillary nancy elizabeth kamala melania ivanka michelle sarah susan mary jane karen linda
    patricia barbara jennifer maria lisa laura amy angela theresa kellyanne nikki condoleezza
    madeleine huma debbie loretta janet kirsten tammy dianne claire jill carly hope sheryl
    sonia ruth elena samantha susana betsy chelsea donna katie megyn ava lynn rachel anna
    deborah wendy caroline juanita jeanne kelly patty marine margaret catherine kathleen
    carol sandra sharon emily emma olivia julia julie diane christine cheryl stephanie
    heather nicole rebecca victoria valerie virginia marsha shelley joni tulsi gwen gina
    marie nina paula penny rosa sally shirley teresa tina tracy ursula vanessa
    alice alicia allison amanda andrea angela ann anne annie april audrey beth betty beverly
    bonnie brenda carla carmen carolyn cathy charlotte christina cindy claudia connie crystal
    danielle dawn denise diana dolores dorothy edith eileen elaine eleanor ellen erin
    esther evelyn florence frances gail gloria grace hannah helen irene jacqueline janice
    jessica joan joanne josephine joyce judith judy june karen kathy kristen lauren
    lillian lois lori lucy marilyn martha melissa michele mildred monica nancy natalie
    norma pamela peggy phyllis rita roberta rose ruby samantha sara sophia sue suzanne
    tammy tanya theresa vera veronica vivian wanda yvonne ghazala ivana marla tiffany
    """.split()
)


# And first names that tell us a "he" can (the US and world political figures of the 2010s, and
# the commonest English given names).
MALE_FIRST_NAMES = frozenset(
    """
    donald barack bernie bernard ted marco jeb john joe joseph mike michael paul rand chris
    ben scott bobby rick jim james bill william george dick mitt newt harry mitch chuck tim
    tom thomas robert bob richard dan daniel david steve steven stephen mark matt matthew
    kevin brian jeff jeffrey eric peter andrew andy anthony tony jason justin ryan adam
    larry gary jerry frank charles charlie edward ed henry jack reince sean corey
    jared rudy rudolph vladimir xi shinzo emmanuel francois benjamin
    bibi recep rodrigo narendra hassan muhammad mohammed ahmed
    omar carlos juan jose luis jorge pablo pedro miguel antonio fernando vicente enrique
    khizr orrin lamar jon sherrod al elijah keith cory howard lyndon ronald
    jimmy gerald franklin woodrow dwight herbert calvin warren martin luther malcolm jesse
    roger roy ray ralph russell sam samuel simon walter wayne willie zach
    phil philip phillip philippe milton antonin stanley arthur harold howard leon louis lewis
    nathan neil nicholas patrick raymond ronald todd travis troy vincent victor wesley
    alexander alex aaron albert alan allen bruce carl clarence craig curtis dale dean dennis
    derek don douglas earl eugene fred frederick glenn gordon grant greg gregory jerome jesse
    joel jonathan karl kenneth kurt lance lawrence leonard lloyd marcus mario marvin
    maurice melvin mitchell nathaniel norman oscar paul perry ralph randy reggie ricardo
    rodney rudy shawn stuart theodore timothy vernon
    """.split()
)


def fold(text: str) -> str:
    """Lower case, accents removed, curly apostrophes straightened."""
    text = text.replace("’", "'").replace("‘", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def strip_possessive(text: str) -> str:
    return re.sub(r"\s*['’]s?$", "", text.strip())


def name_tokens(name: str) -> list[str]:
    """The name's words without honorifics, titles, initials-only middles or a possessive.

    "U.S. President Donald J. Trump's" -> ["donald", "trump"].
    """
    words = [fold(w).strip(".'-") for w in _TOKEN.findall(strip_possessive(name))]
    words = [w for w in words if w and w not in {"the", "jr", "sr", "ii", "iii"}]
    while words and (w := words[0]) and (
        w in HONORIFICS or w in TITLE_WORDS or w in DEMONYMS or w in AFFILIATIONS
    ):
        words.pop(0)
    # drop middle initials ("Donald J. Trump") but keep a one-letter first name alone
    if len(words) > 2:
        words = [words[0], *[w for w in words[1:-1] if len(w) > 1], words[-1]]
    return words


def canonical_name(name: str) -> str:
    """"U.S. President Donald Trump" -> "donald trump"; used as a comparison key."""
    return " ".join(name_tokens(name))


def display_name(name: str, person: bool = True) -> str:
    """The name as printed, without titles and possessive: "President Trump's" -> "Trump".
    Titles, demonyms and party words are dropped before a person's name only ("Democrat
    Hillary Clinton"), not from an organisation's ("Republican National Committee")."""
    words = strip_possessive(name).split()
    if person:  # words of symbols alone are no part of it: "Zoë Müller 🇩🇪" (social copy)
        words = [w for w in words if any(c.isalnum() for c in w)] or words
    # an organisation keeps its words: "Justice Department", "American Crossroads"
    leading = HONORIFICS | TITLE_WORDS | DEMONYMS | AFFILIATIONS if person else HONORIFICS
    while len(words) > 1 and fold(words[0]).strip(".") in leading:
        words.pop(0)
    return " ".join(words)


def description_words(text: str) -> set[str]:
    """Content words of a title or description, places normalised ("Japan's" = "Japanese")."""
    words = set()
    for raw in _TOKEN.findall(text):
        word = fold(raw).strip(".'-")
        word = re.sub(r"'s?$", "", word)
        if not word or word in _STOP:
            continue
        word = _TITLE_ABBREVIATIONS.get(word, word)
        words.add(_PLACE_ALIASES.get(word, _PLACE_ALIASES.get(word + ".", word)))
    return words


@lru_cache(maxsize=8192)  # the registry's roles are read again for every description
def role_words(text: str) -> frozenset[str]:
    """``description_words`` plus the parts of hyphenated words, parties spelled out and years:
    "the GOP front-runner" -> {"republican", "front-runner", "front", "runner"}, "the 2012
    Republican nominee" -> {"2012", "republican", "nominee"}."""
    words = set(re.findall(r"\b(?:1[89]|20)\d\d\b", text))
    for word in description_words(text):
        word = _PARTY_ALIASES.get(word, word)
        words.add(word)
        if "-" in word:
            words.update(part for part in word.split("-") if part)
    return frozenset(words)


def organization_key(name: str) -> str:
    """"The White House" -> "white house"."""
    words = [fold(w).strip(".'") for w in strip_possessive(name).split()]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(w for w in words if w)


# a federal or state department ("Veterans Affairs"), not a city's police or fire department
_DEPARTMENT_FIELD = r"((?:[A-Z][\w.-]*)(?: (?:and )?[A-Z][\w.-]*){0,2})"
_DEPARTMENT_FIRST = re.compile(rf"^Department of (?:the )?{_DEPARTMENT_FIELD}$")
_DEPARTMENT_LAST = re.compile(rf"^(?:U\.S\. )?{_DEPARTMENT_FIELD} Department$")
_DEPARTMENTS_OF_THE = {"Treasury", "Interior", "Army", "Navy", "Air Force"}
_LOCAL_SERVICES = re.compile(r"\b(?:Police|Fire|Sheriff'?s?|Parks|Water|Sanitation)\b")
_PARTY_OF_PLACE = re.compile(r"^(Republican|Democratic|Libertarian|Green) Party of ([A-Z][\w.]*(?: [A-Z][\w.]*)?)$")
_PLACE_PARTY = re.compile(r"^([A-Z][\w.]*(?: [A-Z][\w.]*)?) (Republican|Democratic|Libertarian|Green) Party$")


def organization_variants(name: str) -> list[str]:
    """Other ways news copy writes the same body: "Justice Department" and "Department of
    Justice", "Wyoming Republican Party" and "Republican Party of Wyoming" (a U.S. state's
    party only). They become aliases, so that the labels, and the next article's form, find
    the same entity."""
    name = name.strip()
    department = _DEPARTMENT_FIRST.match(name) or _DEPARTMENT_LAST.match(name)
    if department and not _LOCAL_SERVICES.search(department.group(1)):
        field = department.group(1)
        if name.startswith("Department of"):
            return [f"{field} Department"]
        return [f"Department of {'the ' if field in _DEPARTMENTS_OF_THE else ''}{field}"]
    party = _PARTY_OF_PLACE.match(name)
    if party and fold(party.group(2)) in US_STATES:
        return [f"{party.group(2)} {party.group(1)} Party"]
    party = _PLACE_PARTY.match(name)
    if party and fold(party.group(1)) in US_STATES:
        return [f"{party.group(2)} Party of {party.group(1)}"]
    return []


# Common English short forms of first names. Within one article, "Sandy Paradis" after
# "Sandra Paradis" is the same person (across articles the linker stays strict).
_SHORT_FORMS = {
    "william": "bill billy will willie", "robert": "bob bobby rob robbie", "richard": "dick rick rich",
    "james": "jim jimmy jamie", "joseph": "joe joey", "thomas": "tom tommy", "michael": "mike mick",
    "christopher": "chris", "edward": "ed eddie ted", "anthony": "tony", "david": "dave",
    "steven": "steve", "stephen": "steve", "daniel": "dan danny", "charles": "charlie chuck",
    "elizabeth": "liz beth betsy libby", "katherine": "kate kathy katie", "catherine": "cathy kate",
    "margaret": "peggy maggie meg", "patricia": "pat patty", "sandra": "sandy", "susan": "sue",
    "deborah": "debbie deb", "jennifer": "jen jenny", "rebecca": "becky", "samuel": "sam",
    "benjamin": "ben", "alexander": "alex", "nicholas": "nick", "matthew": "matt",
    "timothy": "tim", "gregory": "greg", "lawrence": "larry", "ronald": "ron", "donald": "don",
    "gerald": "jerry", "kenneth": "ken", "andrew": "andy drew", "philip": "phil",
    "frederick": "fred", "theodore": "ted teddy", "harold": "harry hal", "henry": "hank harry",
}
_SAME_FIRST_NAME = {frozenset((full, short)) for full, shorts in _SHORT_FORMS.items()
                    for short in shorts.split()}


def same_first_name(a: str, b: str) -> bool:
    """"sandra" and "sandy", "william" and "bill" (folded first names)."""
    return a == b or frozenset((a, b)) in _SAME_FIRST_NAME
