"""With API keys configured, the page asks for one, keeps it for the tab, and sends it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pipelines import browser_pipeline
from tests.conftest import make_app

KEY = "s3cret-editor-key"


@pytest.fixture
def live_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'web.db'}", pipeline=browser_pipeline(), API_KEYS=(KEY,))
    yield app
    app.extensions["database"].dispose()


def test_the_page_asks_for_a_key_on_401_and_then_works(page):
    page.goto("/")  # the page itself is open; its first API call answers 401
    panel = page.get_by_role("region", name="API key needed")
    expect(panel).to_be_visible()
    expect(page.get_by_label("API key", exact=True)).to_be_focused()

    page.get_by_label("API key", exact=True).fill("wrong-key")
    page.get_by_role("button", name="Use this key").click()
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("refused")

    page.get_by_label("API key", exact=True).fill(KEY)
    page.get_by_role("button", name="Use this key").click()
    expect(panel).to_be_hidden()
    expect(page.locator("#stored-list")).to_contain_text("No article yet")  # the retried call
    assert page.evaluate("sessionStorage.getItem('quotes.apiKey')") == KEY

    page.get_by_label("Article text").fill('"I like the TPP," Ann Lee said.')
    page.get_by_role("button", name="Analyse").click()
    expect(page.locator("mark.quote")).to_have_text(["I like the TPP"])

    page.get_by_role("button", name="Forget API key").click()
    assert page.evaluate("sessionStorage.getItem('quotes.apiKey')") is None
