"""The cue lexicon: which words introduce an attribution.

Lemmas, so that "said", "says", "saying" and "say" all count. The lists are deliberately
conservative: a verb here fires an attribution whenever it governs a clause, so a verb that
mostly means something else ("find" an object, "call" somebody) is left out or needs a clause.
"""
from __future__ import annotations

# Verbs of saying: they introduce direct quotes as well as reported clauses.
SPEECH_VERBS = frozenset(
    """
    say tell add note argue claim write tweet state explain insist warn suggest report announce
    acknowledge admit agree ask answer reply respond recall declare contend assert maintain
    predict promise pledge vow deny confirm complain concede conclude emphasize emphasise stress
    observe testify reveal disclose allege charge urge demand question wonder caution continue
    boast brag quip joke muse remark reiterate repeat counter retort scoff shout yell cry mutter
    whisper admit concur proclaim proclaim post comment lament mention speculate threaten
    recount describe tout predict signal hint acknowledge assure remind inform advise instruct
    point mock slam blast attack accuse criticize criticise praise thank applaud concede
    """.split()
)

# Verbs of belief, knowledge and perception: attributions only when they govern a clause.
COGNITION_VERBS = frozenset(
    """
    believe think know feel hope fear expect worry doubt suspect guess assume reckon estimate
    imagine understand realize realise recognize recognise consider figure learn hear see find
    show indicate suggest conclude decide determine calculate project forecast
    """.split()
)

CLAUSE_CUE_VERBS = SPEECH_VERBS | COGNITION_VERBS

# Cues that can only introduce a direct quote in its frame (", he said.", "Trump tweeted:").
DIRECT_QUOTE_CUE_VERBS = SPEECH_VERBS | frozenset({"believe", "think", "write", "say"})

# Pronouns that name nobody by themselves: the speaker sieve resolves them.
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "they", "them", "i", "we", "you", "it"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})

# Verbs whose attributed content is their object: "Clinton called his remarks “a disgrace”",
# "Trump cited the poll", "Sanders endorsed Clinton" (PolNeAR counts these as attributions).
OBJECT_CUE_VERBS = frozenset(
    """
    call cite accuse describe offer attack mention support criticize criticise propose endorse
    question promise reject announce urge express defend demand echo blast slam praise condemn
    dismiss deny predict acknowledge blame recommend oppose back decry tout applaud reference
    document report claim suggest emphasize stress
    """.split()
)

# Verbs of intention whose content is an infinitive: "Pence plans to release his returns".
INTENTION_VERBS = frozenset(
    """
    want plan promise vow refuse pledge seek decline urge agree hope expect intend threaten
    vote aim offer propose ask encourage call need
    """.split()
)
