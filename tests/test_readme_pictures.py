"""The README shows only pictures the screenshot test makes, and every one of them is in the
repository: a picture cannot go stale silently (tests/support/screenshots.py holds the names)."""

import re
from pathlib import Path

from tests.support.screenshots import ENV, IMG_DIR, MAX_BYTES, REPORT_PAGES, SHOTS

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n"


def linked_pictures(text: str) -> list[str]:
    """The files under docs/img/ a Markdown text links or shows (`![..](..)`, `<img src=..>`)."""
    target = rf"(?:\]\(|src=[\"']?)(?:\./)?{re.escape(IMG_DIR)}/([^\s)\"'>]+)"
    return re.findall(target, text)


class TestReadmePictures:
    def test_the_readme_shows_exactly_the_pictures_the_screenshot_test_makes(self):
        linked = linked_pictures((ROOT / "README.md").read_text(encoding="utf-8"))
        made = set(SHOTS) | set(REPORT_PAGES)  # the screenshot test's and the print test's
        unknown = sorted(set(linked) - made)
        assert not unknown, f"README.md shows pictures no test makes: {unknown}"
        assert sorted(made - set(linked)) == [], "a picture the tests make is not shown"

    def test_every_picture_is_in_the_repository_small_and_a_png(self):
        for name in (*SHOTS, *REPORT_PAGES):
            path = ROOT / IMG_DIR / name
            assert path.is_file(), f"{path} is missing: run `make docs-screenshots`"
            content = path.read_bytes()
            assert content[:8] == PNG, f"{name} is not a PNG"
            assert len(content) <= MAX_BYTES, f"{name} is {len(content)} bytes"

    def test_make_docs_screenshots_writes_where_the_readme_reads(self):
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        recipe = re.search(r"^docs-screenshots:.*\n\t(.+)$", makefile, re.MULTILINE)
        assert recipe, "no docs-screenshots target in the Makefile"
        assert f"{ENV}={IMG_DIR} " in recipe.group(1)
        assert "tests/e2e/test_screenshots.py" in recipe.group(1)

    def test_links_are_found_in_markdown_and_html(self):
        text = (
            '![a](docs/img/one.png) <img src="./docs/img/two.png" width="250"> '
            "[file](docs/img/three.png) in `docs/img/`; docs/other.png"
        )
        assert linked_pictures(text) == ["one.png", "two.png", "three.png"]
