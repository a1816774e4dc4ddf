"""The article view in a real browser: paste and analyse, highlights, details, stored articles."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import (
    fragment_positions,
    get_article,
    highlighted_positions,
    post_article,
    rendered_text,
)

# Emoji and a flag (characters outside the BMP, two UTF-16 units each, a flag two code points)
# before the later quotes: a highlight off by one would show here. The middle quote is split
# around its attribution, so it has two content fragments.
STORY = ('Ann Lee said: "We love the TPP and we support it." 😀 Later, “I like it,” Tom Smith '
         'said, “and I want it.” 🇯🇵 "We hate TPP," Ann Lee told reporters.')


def analyse(page, text: str, title: str | None = None, published: str | None = None) -> None:
    page.get_by_label("Article text").fill(text)
    if title:
        page.get_by_label("Title").fill(title)
    if published:
        page.get_by_label("Published").fill(published)
    page.get_by_role("button", name="Analyse").click()


def test_pasted_text_is_analysed_and_every_quote_highlighted(page, live_app):
    page.goto("/")
    analyse(page, STORY, "Pasted story", "2018-04-18")

    expect(page.get_by_role("heading", name="Pasted story")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/article/[^/]+$"))
    article = get_article(live_app, page.url.rsplit("/", 1)[1])
    assert rendered_text(page) == article["text"] == STORY  # nothing lost or added

    highlighted = highlighted_positions(page)
    assert set().union(*highlighted.values()) == fragment_positions(article)
    split = next(q for q in article["quotes"] if q["content_fragments"])
    marks = page.locator(f'mark.quote[data-quote-id="{split["id"]}"]')
    expect(marks).to_have_text(["I like it", "and I want it."])  # not the "Tom Smith said" between

    expect(page.locator("#status")).to_have_text(re.compile("3 quotes from 2 speakers"))
    expect(page.locator("#article-speakers li")).to_have_text(
        [re.compile(r"Ann Lee\s+2 quotes"), re.compile(r"Tom Smith\s+1 quote")])
    expect(page.locator("#article-quotes .badge")).to_have_text(
        [re.compile("favor"), re.compile("no stance"), re.compile("against")])


def test_quotes_are_coloured_per_speaker(page, live_app):
    post_article(live_app, STORY, title="Colours")
    page.goto("/")
    page.get_by_role("link", name="Colours").click()
    expect(page.locator("mark.quote")).to_have_count(4)
    backgrounds = page.locator("mark.quote").evaluate_all(
        "marks => marks.map(m => [m.textContent, getComputedStyle(m).backgroundColor])")
    colour = dict(backgrounds)
    assert colour["We love the TPP and we support it."] == colour["We hate TPP"]  # Ann Lee
    assert colour["I like it"] == colour["and I want it."]  # Tom Smith
    assert colour["We hate TPP"] != colour["I like it"]
    assert "rgba(0, 0, 0, 0)" not in colour.values()


def test_details_on_hover_and_on_keyboard_focus(page, live_app):
    post_article(live_app, STORY, title="Details")
    page.goto("/")
    page.get_by_role("link", name="Details").click()
    tip = page.get_by_role("tooltip")

    page.locator("mark.quote", has_text="We hate TPP").hover()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Ann Lee")
    expect(tip).to_contain_text("Trans-Pacific Partnership")
    expect(tip).to_contain_text("against")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()

    # From the article's heading, Tab walks through the quotes in reading order.
    page.locator("#article-title-heading").focus()
    page.keyboard.press("Tab")
    expect(page.locator("mark.quote:focus")).to_have_text("We love the TPP and we support it.")
    expect(tip).to_contain_text("favor")
    page.keyboard.press("Tab")
    expect(page.locator("mark.quote:focus")).to_have_text("I like it")
    expect(tip).to_contain_text("Tom Smith")
    expect(page.locator("mark.quote.is-active")).to_have_count(2)  # both fragments outlined
    outline = page.locator("mark.quote:focus").evaluate("m => getComputedStyle(m).outlineStyle")
    assert outline == "solid"  # visible focus


def test_quote_list_moves_to_the_quote(page, live_app):
    post_article(live_app, STORY, title="List")
    page.goto("/")
    page.get_by_role("link", name="List").click()
    page.locator("#article-quotes button").nth(2).click()
    expect(page.locator("mark.quote:focus")).to_have_text("We hate TPP")
    expect(page.get_by_role("tooltip")).to_contain_text("Ann Lee")


def test_stored_articles_are_listed_and_open_by_link(page, live_app):
    first = post_article(live_app, '"Taxes are too high," Bob Stone said.', title="Taxes",
                         published_at="2018-02-01")
    post_article(live_app, STORY, title="Trade")
    page.goto("/")
    expect(page.locator("#stored-list a")).to_have_text(["Trade", "Taxes"])  # newest first
    page.get_by_role("link", name="Taxes").click()
    expect(page.get_by_role("heading", name="Taxes")).to_be_visible()
    expect(page.locator("#article-meta")).to_contain_text("1 Feb 2018")
    expect(page.locator("mark.quote")).to_have_text(["Taxes are too high"])

    # A link to a quote opens its article with the quote focused, even on a fresh page load.
    quote_id = first["quotes"][0]["id"]
    page.goto(f"/#/article/{first['id']}/quote/{quote_id}")
    page.reload()
    expect(page.locator("mark.quote:focus")).to_have_attribute("data-quote-id", quote_id)


def test_api_errors_are_shown(page, live_app):
    page.goto("/")
    analyse(page, "   \n  ")  # passes the form's `required`, refused by the API
    alert = page.locator("#article-error")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("422")
    expect(alert).to_contain_text("text")

    page.goto("/#/article/art_missing")
    expect(alert).to_contain_text("404")
    expect(alert).to_contain_text("No article 'art_missing'")
