"""Article text as the client sent it -> the plain text the service analyses and returns.

Policy (documented in the README): HTML is converted, not refused. A CMS often sends the body
as HTML; we keep its words and paragraph breaks, drop markup, scripts and styles, and flag the
article with ``converted_from_html`` so the client knows the offsets refer to the converted
text returned in the article object.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

# Only real markup counts as HTML: "<" in prose ("a < b") does not.
_LOOKS_LIKE_HTML = re.compile(
    r"<\s*(p|br|div|span|a|b|i|em|strong|ul|ol|li|h[1-6]|blockquote|html|body|figure|table"
    r"|section|article|script|style)\b[^>]*>",
    re.I,
)
_BLOCKS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
    "article", "figure", "figcaption", "header", "footer", "ul", "ol", "table",
}
_SKIPPED = {"script", "style", "head", "template", "noscript"}


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text))


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = unescape("".join(parser.parts))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def normalize_article_text(text: str) -> tuple[str, bool]:
    """The text to analyse, and whether it was converted from HTML."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        return html_to_text(text), True
    return text, False
