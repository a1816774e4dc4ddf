"""Screenshots of both views at 1366x768, saved under tests/artifacts/ (git-ignored).

Each is checked to be a real page (size, not blank) and compared, as a 96x54 greyscale
thumbnail, with the small baseline committed in tests/browser/baselines/: a broken layout or
missing styles change the thumbnail a lot, a font's anti-aliasing barely. After an intended
change of the page's look, refresh the baselines with
`UPDATE_SCREENSHOT_BASELINES=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py`
and look at the new PNGs in tests/artifacts/ before committing them.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_screenshot, save_thumbnail, thumbnail_difference
from tests.browser.test_speaker_view import seed_history

BASELINES = Path(__file__).resolve().parent / "baselines"
TOLERANCE = 12.0  # mean grey levels out of 255; an unstyled page differs by 40 or more


def compare_with_baseline(shot: Path) -> None:
    baseline = BASELINES / shot.name
    if os.environ.get("UPDATE_SCREENSHOT_BASELINES") == "1" or not baseline.exists():
        save_thumbnail(shot, baseline)
        if not os.environ.get("UPDATE_SCREENSHOT_BASELINES"):
            pytest.fail(f"no baseline for {shot.name}: wrote {baseline}, check and commit it")
        return
    difference = thumbnail_difference(shot, baseline)
    assert difference <= TOLERANCE, f"{shot.name} differs from its baseline by {difference:.1f}"


def test_article_view_screenshot(page, live_app, artifacts):
    articles = seed_history(live_app)
    page.goto(f"/#/article/{articles['March']['id']}")
    page.locator("mark.quote").first.hover()
    expect(page.get_by_role("tooltip")).to_be_visible()
    shot = artifacts / "article-view.png"
    page.screenshot(path=shot, animations="disabled", caret="hide")
    check_screenshot(shot)
    compare_with_baseline(shot)


def test_speaker_view_screenshot(page, live_app, artifacts):
    articles = seed_history(live_app)
    ann = articles["January"]["quotes"][0]["speaker"]
    page.goto(f"/#/speaker/{ann['id']}")
    expect(page.locator(".point")).to_have_count(4)
    page.evaluate("window.scrollTo(0, 0)")  # the same place on every run
    shot = artifacts / "speaker-view.png"
    page.screenshot(path=shot, animations="disabled", caret="hide")
    check_screenshot(shot)
    compare_with_baseline(shot)
