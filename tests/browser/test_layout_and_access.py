"""Accessibility and fit on a 1366x768 laptop: landmarks, labels, contrast, no sideways scroll."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import contrast_ratios, post_article
from tests.browser.test_speaker_view import seed_history

AA_TEXT = 4.5


def test_landmarks_and_labelled_controls(page):
    page.goto("/")
    for role in ("banner", "navigation", "main", "contentinfo"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.locator("[aria-live=polite]")).to_have_count(1)
    unlabelled = page.locator("input, textarea, select").evaluate_all(
        "fields => fields.filter(f => !f.labels.length && !f.getAttribute('aria-label'))"
        ".map(f => f.id)")
    assert unlabelled == []


def test_keyboard_reaches_the_views_with_a_visible_focus(page):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    articles = page.get_by_role("link", name="Articles")
    expect(articles).to_be_focused()
    assert articles.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Speakers", level=1)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Speaker name or alias")).to_be_focused()


def test_contrast_meets_wcag_aa(page, live_app):
    articles = seed_history(live_app)
    page.goto(f"/#/article/{articles['March']['id']}")
    expect(page.locator("#stored-list a")).to_have_count(3)
    page.locator("mark.quote").first.hover()
    expect(page.get_by_role("tooltip")).to_be_visible()
    low = too_low(page, ["h1", "label", ".hint", ".meta", "#stored-list a", "mark.quote",
                         ".badge", ".site-header nav a", ".tooltip p", ".quote-item-topic", "button"])

    page.goto(f"/#/speaker/{articles['March']['quotes'][0]['speaker']['id']}")
    expect(page.locator(".point").first).to_be_visible()
    page.locator(".shift-list").scroll_into_view_if_needed()
    low += too_low(page, [".data-table td", ".data-table th", ".row-label", ".tick-label",
                          ".legend", ".explanation", "figcaption"])
    assert low == []


def too_low(page, selectors: list[str]) -> list[dict]:
    """Elements under AA contrast; every selector must match something, or it checks nothing."""
    low = []
    for selector in selectors:
        ratios = contrast_ratios(page, selector)
        assert ratios, f"nothing matches {selector!r}"
        low += [{"selector": selector, **r} for r in ratios if r["ratio"] < AA_TEXT]
    return low


def test_fits_a_laptop_screen_without_sideways_scrolling(page, live_app):
    long_line = " ".join(["Ann Lee said: \"We love the TPP and we support it.\""] * 40)
    article = post_article(live_app, long_line, title="A long article " * 8)
    page.goto(f"/#/article/{article['id']}")
    expect(page.locator("mark.quote").first).to_be_visible()
    width = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert page.evaluate(width)
    # The speakers and quotes stay beside the text, inside the viewport.
    aside = page.locator(".article-aside").bounding_box()
    text = page.locator("#article-text-view").bounding_box()
    assert aside["x"] > text["x"] + text["width"] - 1 and aside["x"] + aside["width"] <= 1366

    page.goto(f"/#/speaker/{article['quotes'][0]['speaker']['id']}")
    expect(page.locator(".point").first).to_be_visible()
    assert page.evaluate(width)
    chart = page.locator(".timeline-chart").first.bounding_box()
    assert chart["width"] >= 600  # legible: drawn at close to its natural size
