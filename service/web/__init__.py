"""`GET /`: the editors' page (highlighted quotes, stance timelines) over the JSON API.

The page is one HTML document with its CSS and JavaScript inlined. Why inline: the page must
work when API keys are configured, and a browser loading `<script src>` or `<link href>` sends
no `Authorization` header, so separate asset URLs would answer 401. `web.index` is an open
endpoint (see service/auth.py); everything the page needs comes with it, and every API call the
page makes carries the key the editor entered. A per-request nonce lets a strict
Content-Security-Policy allow exactly these inlined blocks and nothing else (no CDN, no
injected script).
"""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import Blueprint, make_response, render_template
from markupsafe import Markup

blp = Blueprint("web", __name__, template_folder="templates")

ASSETS = Path(__file__).resolve().parent / "assets"
STYLES = ("editor.css",)
# Classic scripts sharing one global scope, in dependency order (no bundler, no build step).
SCRIPTS = ("js/dom.js", "js/api.js", "js/text.js", "js/chart.js", "js/article.js",
           "js/speaker.js", "js/app.js")


def read_asset(name: str, closing_tag: str) -> Markup:
    """An asset's source, safe to place inside its element: it must not close the element."""
    source = (ASSETS / name).read_text(encoding="utf-8")
    if closing_tag in source.lower():
        raise ValueError(f"{name} contains {closing_tag!r}, which would end the inlined block")
    return Markup(source)


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'none'",
        f"script-src 'nonce-{nonce}'",
        f"style-src 'nonce-{nonce}'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


@blp.route("/")
def index():
    """The editors' page: article view and speaker view."""
    nonce = secrets.token_urlsafe(18)
    html = render_template(
        "web/index.html",
        nonce=nonce,
        styles=[read_asset(name, "</style") for name in STYLES],
        scripts=[(name, read_asset(name, "</script")) for name in SCRIPTS],
    )
    response = make_response(html)
    response.headers["Content-Security-Policy"] = content_security_policy(nonce)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"  # the nonce is per response
    return response
