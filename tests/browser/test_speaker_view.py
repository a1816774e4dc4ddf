"""The speaker view in a real browser: search, summary, shifts, timelines linked to quotes."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import post_article

# Ann Lee on the TPP: for it in January, against it in March, for it again in May (a shift
# each time the monthly majority changes); Bob Stone for it in March.
HISTORY = [
    ("January", "2018-01-10",
     'Ann Lee said: "We love the TPP and we support it." "Taxes are too high," Bob Stone said.'),
    ("March", "2018-03-05",
     '"I don\'t want the TPP," Ann Lee said. Bob Stone said: "I like the TPP a lot."'),
    ("May", "2018-05-20",
     '"The TPP is a great deal for workers," Ann Lee said. '
     '"We never liked immigration reform," Ann Lee added.'),
]


def seed_history(app) -> dict[str, dict]:
    return {title: post_article(app, text, title=title, published_at=day)
            for title, day, text in HISTORY}


def open_speaker(page, query: str, name: str) -> None:
    page.goto("/#/speaker")
    page.get_by_label("Speaker name or alias").fill(query)
    page.get_by_role("button", name="Search").click()
    page.locator("#speaker-list").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()


def test_search_lists_matching_speakers(page, live_app):
    seed_history(live_app)
    page.goto("/#/speaker")
    expect(page.locator("#speaker-list a")).to_have_count(2)  # everyone, before any search
    page.get_by_label("Speaker name or alias").fill("stone")
    page.keyboard.press("Enter")
    expect(page.locator("#speaker-list a")).to_have_text(["Bob Stone"])
    expect(page.locator("#status")).to_have_text(re.compile("1 speaker found"))


def test_history_summary_shifts_and_timelines(page, live_app):
    seed_history(live_app)
    open_speaker(page, "lee", "Ann Lee")

    rows = page.locator("#summary-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Trans-Pacific Partnership")
    expect(rows.first.locator("td")).to_have_text(
        ["2", "1", "0", re.compile("favor"), re.compile("favor"), "10 Jan 2018", "20 May 2018"])

    shifts = page.locator("#shift-list > li")
    expect(shifts).to_have_count(2)
    expect(shifts.first).to_contain_text("20 May 2018 · Trans-Pacific Partnership")
    expect(shifts.first.get_by_role("link")).to_have_text(["“The TPP is a great deal for workers”"])

    tpp = page.locator('.timeline[data-topic-id="tpp"]')
    expect(tpp.get_by_role("heading")).to_have_text("Trans-Pacific Partnership")
    expect(tpp.locator(".point")).to_have_count(3)
    expect(tpp.locator(".point-favor")).to_have_count(2)
    expect(tpp.locator(".point-against")).to_have_count(1)
    expect(tpp.locator(".shift-marker")).to_have_count(2)
    # Time runs left to right: January's mark is left of March's, March's left of May's.
    xs = tpp.locator(".point .shape").evaluate_all(
        "shapes => shapes.map(s => s.getBoundingClientRect().x)")
    assert xs == sorted(xs) and len(set(xs)) == 3
    expect(tpp.locator("figcaption")).to_contain_text("3 quotes (2 favor, 1 against, 0 neutral)")


def test_a_timeline_point_opens_its_quote_in_its_article(page, live_app):
    articles = seed_history(live_app)
    open_speaker(page, "Ann", "Ann Lee")
    march = articles["March"]
    quote = next(q for q in march["quotes"] if q["speaker"]["name"] == "Ann Lee")

    point = page.locator(f'.timeline[data-topic-id="tpp"] .point[data-quote-id="{quote["id"]}"]')
    expect(point).to_have_attribute("href", f"#/article/{march['id']}/quote/{quote['id']}")
    point.focus()  # marks are links: reachable and followed with the keyboard
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="March")).to_be_visible()
    expect(page.locator("mark.quote:focus")).to_have_text("I don't want the TPP")
    expect(page.get_by_role("tooltip")).to_contain_text("against")
    expect(page.locator("#nav-article")).to_have_attribute("aria-current", "page")


def test_every_page_of_a_long_history_is_shown(page, live_app):
    # 130 quotes: more than one page of the history endpoint (100 a page).
    text = " ".join(f'"I like the TPP, reason {i}," Ann Lee said.' for i in range(130))
    post_article(live_app, text, title="Long", published_at="2018-06-01")
    history_requests = []
    page.on("request", lambda r: "/stances" in r.url and history_requests.append(r.url))

    open_speaker(page, "Lee", "Ann Lee")
    expect(page.locator('.timeline[data-topic-id="tpp"] .point')).to_have_count(130)
    expect(page.locator("#speaker-meta")).to_contain_text("130 quotes")
    assert len(history_requests) == 2 and "cursor=" in history_requests[1]


def test_a_speaker_link_in_an_article_opens_the_history(page, live_app):
    articles = seed_history(live_app)
    page.goto(f"/#/article/{articles['May']['id']}")
    page.locator("#article-speakers").get_by_role("link", name="Ann Lee").click()
    expect(page.get_by_role("heading", name="Ann Lee", level=2)).to_be_visible()
    expect(page.locator("#nav-speaker")).to_have_attribute("aria-current", "page")


def test_earlier_statements_are_shown_as_such(page, live_app):
    # "last week" in an article of 18 April: a statement of about 11 April, reported.
    article = post_article(live_app, '"I like the TPP," Ann Lee said last week. '
                           '"I don\'t want the TPP," Ann Lee said.', title="Reported",
                           published_at="2018-04-18")
    open_speaker(page, "Lee", "Ann Lee")
    tpp = page.locator('.timeline[data-topic-id="tpp"]')
    earlier = tpp.locator(".point-earlier")
    expect(earlier).to_have_count(1)
    expect(earlier).to_have_class(re.compile("point-favor"))
    expect(earlier).to_have_attribute("aria-label", re.compile("reported earlier: said about 11 Apr 2018"))
    assert earlier.locator(".shape").evaluate("s => getComputedStyle(s).fill") == "rgb(255, 255, 255)"
    now = tpp.locator(".point-against .shape").bounding_box()
    assert earlier.locator(".shape").bounding_box()["x"] < now["x"]  # placed on the day it was said

    page.goto(f"/#/article/{article['id']}")
    page.locator("mark.quote", has_text="I like the TPP").hover()
    expect(page.get_by_role("tooltip")).to_contain_text("reported earlier: said about 11 Apr 2018")
