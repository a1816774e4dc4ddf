"""Integration fixtures: the real shipped models, loaded once for the whole session."""
import pytest

from tests.conftest import EXAMPLES_DIR


@pytest.fixture(scope="session")
def full_pipeline():
    from models.factory import build_pipeline

    return build_pipeline("full")


@pytest.fixture(scope="session")
def examples() -> dict[str, tuple[str, str]]:
    """The example wire stories, read from ../shared (never copied): name -> (date, text).

    The first file starts with a ` date YYYY-MM-DD ` header that a CMS would send as
    `published_at`, not as text.
    """
    import re

    stories = {}
    for path in sorted(EXAMPLES_DIR.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        header = re.match(r"\s*date (\d{4}-\d{2}-\d{2}) ", raw)
        stories[path.stem] = (header.group(1) if header else "2018-04-18",
                              raw[header.end():] if header else raw)
    assert len(stories) == 2, f"expected the two example stories in {EXAMPLES_DIR}"
    return stories
