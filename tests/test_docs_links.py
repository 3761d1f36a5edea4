"""Every relative link and picture of the project's Markdown pages (README.md, docs/**, the
READMEs of bench/ and tests/) points at a file of the repository, and every #anchor at a heading
of its page (GitHub's slugs). External links are not fetched. Pure file reading: a renamed heading
or a moved page fails here, not in a reader's hands.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# [text](target "title") and ![alt](target); the target may be <in angle brackets>
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+[\"'(][^)]*)?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
HTML = re.compile(r"<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
HTML_ID = re.compile(r"<a\b[^>]*?\b(?:id|name)\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def pages() -> list[Path]:
    """README.md, every Markdown page under docs/, and the READMEs beside the benchmarks and
    tests (vendored files and hidden folders left out)."""
    readmes = [*(ROOT / "bench").rglob("README.md"), *(ROOT / "tests").rglob("README.md")]
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), *sorted(readmes)]


def prose(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks, with inline code blanked out."""
    lines, fence = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        opening = FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        lines.append((number, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)))
    return lines


def heading_text(markdown: str) -> str:
    """A heading as GitHub renders it: code without backticks, links and pictures as their
    text, no HTML tags, no emphasis markers."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"<[^>]+>", "", text)
    text = CODE_SPAN.sub(lambda m: m.group(2).strip(), text)
    return text.replace("*", "")


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case; letters, digits, `-` and `_` kept, spaces
    become `-`, any other character (punctuation, `—`, `/`, `(`, emoji) is dropped."""
    kept = (
        char
        for char in heading_text(heading).strip().lower()
        if char in " -_" or char.isalnum() or unicodedata.category(char).startswith("M")
    )
    return "".join(kept).replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    """The anchors of a page: its headings' slugs (a repeated one gets -1, -2, …) and the ids
    of its HTML anchors."""
    text = path.read_text(encoding="utf-8")
    seen: dict[str, int] = {}
    found: set[str] = set()
    fence, previous = None, ""
    for line in text.splitlines():
        opening = FENCE.match(line)
        if fence or opening:
            if fence and opening and opening.group(1)[0] == fence[0]:
                fence = None
            elif not fence:
                fence = opening.group(1)
            previous = ""
            continue
        atx, setext = ATX.match(line), SETEXT.match(line)
        title = atx.group(2) if atx else previous.strip() if setext and previous.strip() else None
        if title is not None:
            base = slug(title)
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
        found.update(match.lower() for match in HTML_ID.findall(line))
        previous = "" if atx else line
    return frozenset(found)


def targets(path: Path) -> list[tuple[int, str]]:
    """(line, target) of every link and picture of a page outside code."""
    found = []
    for number, line in prose(path.read_text(encoding="utf-8")):
        for pattern in (INLINE, REFERENCE, HTML):
            for target in pattern.findall(line):
                found.append((number, target.strip("<>")))
    return found


def problem(page: Path, target: str) -> str | None:
    """Why a link of `page` does not resolve, or None when it does (external links pass)."""
    if SCHEME.match(target) or target.startswith("//"):
        return None
    location, _, anchor = target.partition("#")
    location = unquote(location.split("?", 1)[0])
    if location:
        base = ROOT if location.startswith("/") else page.parent
        file = (base / location.lstrip("/")).resolve()
        if ROOT not in (file, *file.parents):
            return f"{target}: outside the repository"
        if not file.exists():
            return f"{target}: no such file"
    else:
        file = page
    if anchor and file.suffix == ".md" and unquote(anchor).lower() not in anchors(file):
        return f"{target}: no heading with the anchor #{anchor} in {file.relative_to(ROOT)}"
    return None


@pytest.mark.parametrize("page", pages(), ids=lambda page: str(page.relative_to(ROOT)))
def test_every_link_and_picture_resolves(page):
    broken = [
        f"{page.relative_to(ROOT)}:{number}: {reason}"
        for number, target in targets(page)
        if (reason := problem(page, target))
    ]
    assert not broken, "broken links:\n" + "\n".join(broken)


class TestTheChecker:
    @pytest.mark.parametrize(
        ("heading", "anchor"),
        [
            ("Hari seorang AO / An officer's day", "hari-seorang-ao--an-officers-day"),
            ("Generating: `flask reports generate`", "generating-flask-reports-generate"),
            (
                "Reports (Excel workbooks per customer and per portfolio)",
                "reports-excel-workbooks-per-customer-and-per-portfolio",
            ),
            (
                "Daily work: agenda, follow-ups, promises to pay — complaints",
                "daily-work-agenda-follow-ups-promises-to-pay--complaints",
            ),
            ("`REPORTS_QUEUE` and [RQ](https://python-rq.org)", "reports_queue-and-rq"),
            ("Janji bayar **(PTP)**", "janji-bayar-ptp"),
        ],
    )
    def test_slugs_follow_github(self, heading, anchor):
        assert slug(heading) == anchor

    def test_repeated_headings_get_numbers_and_code_is_ignored(self, tmp_path):
        page = tmp_path / "page.md"
        page.write_text(
            "# API\n## Errors\n```\n## Not a heading\n```\n## Errors\nSetext\n---\n"
            '<a id="Kept"></a>\n',
            encoding="utf-8",
        )
        assert anchors(page) == {"api", "errors", "errors-1", "setext", "kept"}

    def test_links_outside_code_are_found_and_external_ones_pass(self, tmp_path):
        page = ROOT / "docs" / "page.md"
        text = (
            '[a](operations.md#x) ![b](<img/a b.png>) `[c](no.md)` <img src="../README.md">\n'
            "```\n[d](nowhere.md)\n```\n[e]: api.md\n[f](https://example.com/y.md#z)\n"
        )
        (tmp_path / "page.md").write_text(text, encoding="utf-8")
        found = [target for _, target in targets(tmp_path / "page.md")]
        assert found == [
            "operations.md#x",
            "img/a b.png",
            "../README.md",
            "api.md",
            "https://example.com/y.md#z",
        ]
        assert problem(page, "https://example.com/y.md#z") is None
        assert problem(page, "../README.md") is None
        assert "no such file" in problem(page, "nowhere.md")
        assert "outside the repository" in problem(page, "../../etc/passwd")
        assert "no heading" in problem(page, "../README.md#no-such-heading")
