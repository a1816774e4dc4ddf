"""What the browser tests ask of the page, in one place."""
from __future__ import annotations

from playwright.sync_api import Page


def post_article(app, text: str, **fields) -> dict:
    """Store an article through the API (the Flask client, same database as the server)."""
    response = app.test_client().post("/v1/articles", json={"text": text, **fields})
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


def get_article(app, article_id: str) -> dict:
    response = app.test_client().get(f"/v1/articles/{article_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def fragment_positions(article: dict) -> set[int]:
    """Code-point positions the quotes attribute: every fragment of every quote."""
    positions: set[int] = set()
    for quote in article["quotes"]:
        for span in quote.get("content_fragments") or [quote["content"]]:
            positions.update(range(span["start"], span["end"]))
    return positions


def highlighted_positions(page: Page) -> dict[str, set[int]]:
    """Code-point positions of the article text that the page highlights, per quote id.

    Counted by walking the rendered text node by node, so a test sees exactly what a reader
    sees, and any slip between the API's code points and JavaScript's UTF-16 shows up."""
    pairs = page.evaluate("""() => {
        const container = document.getElementById("article-text-view");
        const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
        const found = [];
        let offset = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = Array.from(node.data).length;
          const mark = node.parentElement.closest("mark.quote");
          if (mark) found.push([mark.dataset.quoteId, offset, offset + length]);
          offset += length;
        }
        return found;
    }""")
    positions: dict[str, set[int]] = {}
    for quote_id, start, end in pairs:
        positions.setdefault(quote_id, set()).update(range(start, end))
    return positions


def rendered_text(page: Page) -> str:
    return page.locator("#article-text-view").text_content()


# Contrast per WCAG 2.x: relative luminance of the text colour (or an SVG fill) against the
# first opaque background behind the element.
CONTRAST_JS = """(elements) => elements.map((element) => {
  const parse = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const style = getComputedStyle(element);
  const isSvg = element instanceof SVGElement;
  const foreground = parse(isSvg ? style.fill : style.color);
  let background = [255, 255, 255];
  for (let node = isSvg ? element.ownerSVGElement : element; node; node = node.parentElement) {
    const rgba = parse(getComputedStyle(node).backgroundColor);
    if (rgba.length === 3 || (rgba.length === 4 && rgba[3] > 0.5)) { background = rgba; break; }
  }
  const [a, b] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
  return {text: element.textContent.trim().slice(0, 40), ratio: (a + 0.05) / (b + 0.05)};
})"""


def contrast_ratios(page: Page, selector: str) -> list[dict]:
    return page.locator(selector).evaluate_all(CONTRAST_JS)


# --- screenshots ------------------------------------------------------------------------------

THUMBNAIL = (96, 54)  # small enough that fonts and anti-aliasing don't matter, layout does


def check_screenshot(path, size=(1366, 768)) -> None:
    """A screenshot that shows a page: the right size, not blank, with real content."""
    from PIL import Image, ImageStat

    assert path.stat().st_size > 20_000, f"{path} is suspiciously small"
    with Image.open(path) as image:
        assert image.size == size
        grey = image.convert("L")
        assert ImageStat.Stat(grey).stddev[0] > 20, f"{path} is nearly uniform"
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 200, f"{path} has too few colours"


def thumbnail_difference(path, baseline) -> float:
    """Mean absolute difference (0-255) between small greyscale thumbnails of two images."""
    from PIL import Image, ImageChops, ImageStat

    with Image.open(path) as shot, Image.open(baseline) as base:
        small = shot.convert("L").resize(THUMBNAIL, Image.Resampling.BOX)
        return ImageStat.Stat(ImageChops.difference(small, base.convert("L"))).mean[0]


def save_thumbnail(path, baseline) -> None:
    from PIL import Image

    with Image.open(path) as shot:
        shot.convert("L").resize(THUMBNAIL, Image.Resampling.BOX).save(baseline, optimize=True)
