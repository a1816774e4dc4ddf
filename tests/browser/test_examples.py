"""The two example wire stories of ../shared/examples, through the page as an editor would.

Both are pasted into the article view and analysed, then Trump's history is opened in the
speaker view. The texts are read from ../shared/examples (never copied into the repo), which CI
always has next to the repo. The app runs the shipped models (`models.factory.build_pipeline
("full")`, weights committed in models/weights/), with no fallback to the test pipeline.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_screenshot, fragment_positions, get_article, highlighted_positions
from tests.browser.pipelines import examples_pipeline
from tests.conftest import EXAMPLES_DIR, make_app

DATE_HEADER = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\s+")
PUBLISHED = "2018-04-18"  # both stories' date (../shared/examples/README.md)


@pytest.fixture
def live_app(tmp_path):
    assert len(sorted(EXAMPLES_DIR.glob("*.txt"))) == 2, \
        f"expected the two example articles in {EXAMPLES_DIR} (../shared is always next to the repo)"
    app = make_app(f"sqlite:///{tmp_path / 'web.db'}", pipeline=examples_pipeline())
    yield app
    app.extensions["database"].dispose()


def example_articles() -> list[tuple[str, str, str]]:
    """(title, published_at, text) per example; a ` date ...` header becomes the date."""
    articles = []
    for path in sorted(EXAMPLES_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        header = DATE_HEADER.match(text)
        articles.append((f"Example {path.stem}", header.group(1) if header else PUBLISHED,
                         text[header.end():] if header else text))
    return articles


def analyse_through_the_page(page, title: str, published: str, text: str) -> None:
    page.goto("/#/article")
    page.get_by_label("Article text").fill(text)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Published").fill(published)
    page.get_by_role("button", name="Analyse").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=60_000)


@pytest.mark.slow  # reads ../shared/examples
def test_examples_through_both_views(page, live_app, artifacts):
    speakers = []
    for title, published, text in example_articles():
        analyse_through_the_page(page, title, published, text)
        article = get_article(live_app, page.url.rsplit("/", 1)[1])
        assert article["text"] == text.replace("\r\n", "\n")

        # Every quote is highlighted exactly where the API says, and only there.
        assert article["quotes"], f"no quote found in {title}"
        highlighted = highlighted_positions(page)
        assert set().union(*highlighted.values()) == fragment_positions(article)
        expect(page.locator("#article-speakers")).to_contain_text("Trump")
        expect(page.locator("#article-quotes li")).to_have_count(len(article["quotes"]))
        speakers += page.locator("#article-speakers a").all_text_contents()
    assert any("Abe" in name for name in speakers), f"no Abe quote among the speakers: {speakers}"

    page.goto("/#/speaker")
    page.get_by_label("Speaker name or alias").fill("Trump")
    page.get_by_role("button", name="Search").click()
    # The view first lists every speaker; wait for the search's own list before picking.
    expect(page.get_by_role("status")).to_contain_text("found for “Trump”")
    page.locator("#speaker-list").get_by_role("link", name="Donald Trump", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Trump"), level=2)).to_be_visible()

    tpp = page.locator('.timeline[data-topic-id="tpp"]')
    expect(tpp.locator(".point").first).to_be_visible()
    expect(tpp.locator(".point-against").first).to_be_visible()  # "I don't like the deal"
    expect(page.locator("#summary-table")).to_contain_text("Trans-Pacific Partnership")
    shot = artifacts / "examples-speaker.png"
    page.screenshot(path=shot, animations="disabled", caret="hide")
    check_screenshot(shot)

    # A point of the timeline opens its quote, in its article, with the details shown.
    tpp.locator(".point-against").first.click()
    expect(page.locator("mark.quote:focus")).to_be_visible()
    expect(page.get_by_role("tooltip")).to_contain_text("Trump")
    expect(page.get_by_role("tooltip")).to_contain_text("Trans-Pacific Partnership")
    shot = artifacts / "examples-article.png"
    page.screenshot(path=shot, animations="disabled", caret="hide")
    check_screenshot(shot)
