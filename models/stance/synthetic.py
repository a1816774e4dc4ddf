"""Synthetic news-quote stance examples that we write ourselves.

VAST (reader comments) and P-Stance (tweets) teach opinion, but not the register of a wire story:
politicians who report facts, announce meetings, or hedge. These templates add that register.

Policy for conditional positions (documented in the model card): **the stated position wins over
the hypothetical.** "I don't want to go back into X, but if they offered us a deal I can't refuse
I would do it" is *against* X: the speaker's present position is refusal; the hypothetical only
names the price of changing it. Likewise "I support X, unless they water it down" is *favor*.
Reports of facts, schedules and procedure ("X will be on the agenda") are *neutral*.
"""
from __future__ import annotations

import random

from models.stance.data import StanceExample

# (target as the pipeline phrases it, ways a speaker refers to it in a quote)
TARGETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("the Trans-Pacific Partnership", ("TPP", "the Trans-Pacific Partnership", "the trade pact")),
    ("steel and aluminum tariffs", ("the steel tariffs", "these tariffs", "the metal tariffs")),
    ("the Iran nuclear deal", ("the Iran deal", "the nuclear agreement with Iran")),
    ("NAFTA", ("NAFTA", "the North American trade agreement")),
    ("the Affordable Care Act", ("Obamacare", "the Affordable Care Act", "the health law")),
    ("a wall on the southern border", ("the wall", "a border wall")),
    ("stricter gun control", ("new gun restrictions", "tougher background checks")),
    ("the Paris climate agreement", ("the Paris accord", "the climate agreement")),
    ("the tax cut bill", ("the tax cuts", "this tax bill")),
    ("a summit with North Korea", ("the summit with Kim", "talks with Pyongyang")),
    ("resolving the abductions of Japanese citizens by North Korea",
     ("the abduction issue", "bringing the abductees home")),
    ("a bilateral trade deal between the US and Japan", ("a trade deal with Japan",
                                                         "a bilateral agreement with Tokyo")),
)

SPEAKERS = ("Trump", "Abe", "the senator", "the minister", "Clinton", "the governor")

FAVOR = (
    "We strongly support {x}.",
    "{X} is a great deal for our workers and I want it done.",
    "I am very grateful for your commitment to {x}.",
    "I have always backed {x} and I will keep fighting for it.",
    "{X} will create jobs and make our country stronger.",
    "I would sign {x} tomorrow.",
    "We welcome {x}; it is the right thing to do.",
    "{X} is long overdue and I am proud to stand behind it.",
    "I support {x}, unless they water it down.",
    "Frankly, {x} has been a big success.",
)
AGAINST = (
    "I don't like {x}.",
    "{X} is a disaster for our country.",
    "We will never go back into {x}.",
    "I oppose {x} and I will vote against it.",
    "{X} was a terrible mistake that hurt our workers.",
    "We have to stop {x} before it is too late.",
    "{X} is bad for farmers and bad for jobs.",
    "I don't want to go back into {x}, but if they offered us a deal I can't refuse, I would do it.",
    "We are not interested in {x} unless they make it substantially better.",
    "I don't like {x}; if they changed it dramatically, maybe we would look at it again.",
)
NEUTRAL = (
    "{X} was discussed at the meeting on Tuesday.",
    "The talks on {x} will resume next month in Washington.",
    "{X} will be on the agenda when the leaders meet.",
    "The report on {x} is due to be released on Friday.",
    "We will discuss {x} with our partners later this week.",
    "I have not seen the details of {x} yet.",
    "A vote on {x} is scheduled for next week.",
    "Our delegation met their officials to go over {x}.",
    "The committee received several briefings on {x} this year.",
    "The question of {x} came up during the call, among other things.",
)


def _fill(template: str, mention: str) -> str:
    capital = mention[0].upper() + mention[1:]
    return template.replace("{x}", mention).replace("{X}", capital)


def synthetic_examples(seed: int = 7) -> list[StanceExample]:
    """Every template with every target once: 3 x 10 x 12 = 360 examples."""
    rng = random.Random(seed)
    examples = []
    for label, templates in (("favor", FAVOR), ("against", AGAINST), ("neutral", NEUTRAL)):
        for template in templates:
            for target, mentions in TARGETS:
                text = _fill(template, rng.choice(mentions))
                if rng.random() < 0.5:  # half of them in the shape the quote stage sends
                    text = f'{rng.choice(SPEAKERS)} said: "{text}"'
                examples.append(StanceExample(target, text, label, "synthetic",
                                              group=f"synthetic:{len(examples)}"))
    return examples
