"""Synthetic news-quote stance examples that we write ourselves.

VAST (reader comments) and P-Stance (tweets) teach opinion, but not the register of a wire story:
politicians who report facts, announce meetings, or hedge. These templates add that register.

Everything here is our own wording, on policy targets and speakers of our choosing; none of it
comes from ``../shared/examples`` (whose topics, speakers and sentences are left out on purpose,
so that those stories measure the model instead of being taught to it).

Policy for conditional positions (documented in the model card): **the stated position wins over
the hypothetical.** "We are not signing X; a far better offer might change my mind" is *against*
X: the speaker's present position is refusal; the hypothetical only names the price of changing
it. Likewise "I back X, unless they gut it" is *favor*. Reports of facts, schedules and procedure
("X will be on the agenda") are *neutral*.
"""
from __future__ import annotations

import random

from models.stance.data import StanceExample

# (target as the pipeline phrases it, ways a speaker refers to it in a quote)
TARGETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("the Iran nuclear deal", ("the Iran deal", "the nuclear agreement with Iran")),
    ("NAFTA", ("NAFTA", "the North American trade agreement")),
    ("the Affordable Care Act", ("Obamacare", "the Affordable Care Act", "the health law")),
    ("a wall on the southern border", ("the wall", "a border wall")),
    ("stricter gun control", ("new gun restrictions", "tougher background checks")),
    ("the Paris climate agreement", ("the Paris accord", "the climate agreement")),
    ("the tax cut bill", ("the tax cuts", "this tax bill")),
    ("a higher federal minimum wage", ("a $15 minimum wage", "the wage increase")),
    ("a carbon tax", ("a carbon tax", "the carbon levy")),
    ("student loan forgiveness", ("loan forgiveness", "cancelling student debt")),
    ("the high-speed rail project", ("the rail line", "high-speed rail")),
    ("sanctions on Venezuela", ("the Venezuela sanctions", "new sanctions on Caracas")),
)

SPEAKERS = ("the senator", "the minister", "the governor", "the mayor", "Ms. Alvarez",
            "Mr. Okafor")

FAVOR = (
    "We strongly support {x}.",
    "{X} is good for working families and I want it passed this year.",
    "I have always backed {x} and I will keep fighting for it.",
    "{X} will create jobs and make our economy stronger.",
    "I would sign {x} tomorrow.",
    "We welcome {x}; it is the responsible choice.",
    "{X} is long overdue and I am proud to stand behind it.",
    "I back {x}, unless they gut it in committee.",
    "Frankly, {x} has been a big success.",
    "My vote for {x} is not in doubt.",
)
AGAINST = (
    "{X} is a disaster for our country.",
    "We will never sign on to {x}.",
    "I oppose {x} and I will vote against it.",
    "{X} was a terrible mistake that hurt our workers.",
    "We have to stop {x} before it is too late.",
    "{X} is bad for farmers and bad for jobs.",
    "We are not signing {x}; a far better offer might change my mind, but I doubt it.",
    "Unless the terms improve a great deal, I won't back {x}.",
    "I have serious objections to {x}; if it were rewritten from scratch, we could talk.",
    "{X} is the wrong answer, and voters know it.",
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
