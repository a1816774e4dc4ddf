"""The editors' page at `/`, through the Flask test client (the browser tests are in
tests/browser)."""
import re

from service.web import SCRIPTS
from tests.conftest import make_app


def test_page_is_served_as_html_with_its_landmarks_and_labels(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    for field in ("article-text", "article-title", "article-date", "speaker-query", "key-input"):
        assert f'<label for="{field}"' in html
    assert 'aria-live="polite"' in html and 'role="alert"' in html


def test_every_script_and_style_is_inlined_under_a_per_response_nonce(client):
    first, second = client.get("/"), client.get("/")
    html = first.get_data(as_text=True)
    nonce = re.search(r"script-src 'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    assert html.count(f'<script nonce="{nonce}">') == len(SCRIPTS)
    assert f'<style nonce="{nonce}">' in html
    assert nonce not in second.get_data(as_text=True)  # a fresh nonce each time
    assert first.headers["Cache-Control"] == "no-store"
    assert first.headers["X-Content-Type-Options"] == "nosniff"


def test_nothing_is_loaded_from_elsewhere(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # no CDN, works offline
    assert "@import" not in html and "url(http" not in html
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy


def test_page_is_open_when_api_keys_are_required(database_url):
    client = make_app(database_url, API_KEYS=("s3cret",)).test_client()
    assert client.get("/").status_code == 200  # the page asks the editor for the key
    assert client.get("/v1/articles").status_code == 401


def test_page_is_not_in_the_api_document(client):
    paths = client.get("/v1/openapi.json").get_json()["paths"]
    assert "/" not in paths
