"""Browser tests: Debian's Chromium, headless, driven by Playwright's Python API.

No browser is ever downloaded: Playwright launches the system's /usr/bin/chromium (`.ci/run`
installs it with apt-get when missing). The app is served on 127.0.0.1, on a free port, by a
werkzeug server thread in the test process, with the fast test pipeline of pipelines.py and a
SQLite file of its own per test. Screenshots go to tests/artifacts/ (git-ignored).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from tests.browser.pipelines import browser_pipeline
from tests.conftest import make_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 768}
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium "
                    "(`apt-get install -y chromium`; .ci/run does it) or set CHROMIUM_PATH")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 on a free port from a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def live_app(tmp_path):
    """The served app; a test module can override this fixture (API keys, another pipeline)."""
    app = make_app(f"sqlite:///{tmp_path / 'web.db'}", pipeline=browser_pipeline())
    yield app
    app.extensions["database"].dispose()


@pytest.fixture
def live_server(live_app) -> Iterator[str]:
    with serve(live_app) as url:
        yield url


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    """A laptop-sized tab on the live server. Uncaught JavaScript errors fail the test."""
    context = browser.new_context(viewport=LAPTOP, base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"uncaught JavaScript errors: {errors}"


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

