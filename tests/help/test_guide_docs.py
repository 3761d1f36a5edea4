"""The user guide's files: the same pages in both languages, every link and anchor leading
somewhere, and every picture made by the screenshot test from the demo bank — whose pages are
visited here on every run, so a page the guide shows cannot disappear unnoticed."""

import posixpath
import re
from urllib.parse import urlsplit

from aoapp.help.render import anchor
from aoapp.help.topics import DOCS, FOLDERS, GUIDES, IMAGES
from tests.support.demo import DEMO_PASSWORD
from tests.support.guide import demo_records, guide_files, pictures, shot_heading, shot_path
from tests.support.screenshots import ENV, GUIDE_DIR, GUIDE_SHOTS, IMG_DIR, MAX_BYTES

ROOT = DOCS.parent
PNG = b"\x89PNG\r\n\x1a\n"
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def headings(path) -> set[str]:
    """The anchors of a Markdown page's headings, as GitHub and the help make them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found, seen = set(), {}
    for line in lines:
        if match := re.match(r"#{1,6} (.+)", line):
            base = anchor(re.sub(r"[*`]", "", match.group(1)))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(f"{base}-{count}" if count else base)
    return found


class TestTheGuidesFiles:
    def test_both_languages_have_exactly_the_guides_pages(self):
        for folder in FOLDERS.values():
            assert sorted(p.stem for p in (DOCS / folder).glob("*.md")) == sorted(GUIDES), folder

    def test_every_link_and_anchor_leads_somewhere(self):
        broken = []
        for path in guide_files():
            for link in re.findall(r"\]\(([^)\s]+)\)", path.read_text(encoding="utf-8")):
                parts = urlsplit(link)
                if parts.scheme:
                    continue
                file = (path.parent / parts.path).resolve() if parts.path else path
                if not file.is_file():
                    broken.append(f"{path.relative_to(ROOT)}: {link}")
                elif parts.fragment and parts.fragment not in headings(file):
                    broken.append(f"{path.relative_to(ROOT)}: {link} (no such heading)")
                elif parts.path and file.suffix == ".md" and file.parent != path.parent:
                    assert file.parent.name in FOLDERS.values(), link  # only the other language
        assert broken == []


class TestTheGuidesPictures:
    def test_the_guide_shows_exactly_the_pictures_the_screenshot_test_makes(self):
        shown = {name: [] for name in GUIDE_SHOTS}
        unknown = []
        for path in guide_files():
            for name in pictures(path):
                (shown[name].append(path.name) if name in shown else unknown.append(name))
        assert unknown == [], "guide pages show pictures no test makes"
        assert [name for name, pages in shown.items() if not pages] == []
        for folder in FOLDERS.values():  # each language shows the same pictures
            per_page = {p.name: pictures(p) for p in (DOCS / folder).glob("*.md")}
            assert per_page == {p.name: pictures(p) for p in (DOCS / "pengguna").glob("*.md")}

    def test_every_picture_is_in_the_repository_small_and_a_png(self):
        folder = IMAGES / GUIDE_DIR
        assert sorted(p.name for p in folder.iterdir()) == sorted(GUIDE_SHOTS)
        for name in GUIDE_SHOTS:
            content = (folder / name).read_bytes()
            assert content[:8] == PNG, name
            assert len(content) <= MAX_BYTES, f"{name} is {len(content)} bytes"

    def test_make_docs_screenshots_takes_them_too(self):
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        recipe = re.search(r"^docs-screenshots:.*\n\t(.+)$", makefile, re.MULTILINE).group(1)
        assert f"{ENV}={IMG_DIR} " in recipe and "tests/e2e/test_guide_screenshots.py" in recipe

    def test_a_picture_is_found_relative_to_its_page(self, tmp_path):
        page = tmp_path / "pengguna" / "x.md"
        page.parent.mkdir()
        page.write_text("![a](../img/guide/one.png) [b](../img/guide/two.png) ![c](x.png)")
        assert pictures(page) == ["one.png", "two.png"]
        assert posixpath.normpath("pengguna/../img/guide/a.png") == "img/guide/a.png"


class TestThePagesTheGuideShows:
    def test_every_pictured_page_opens_for_its_user(self, app, client, auth, demo_bank):
        """Each picture's page answers its user with its title, as the browser test expects."""
        records = demo_records()
        failures, current = [], None
        for name, shot in GUIDE_SHOTS.items():
            if shot.user != current:
                if current:
                    auth.logout()
                auth.login(shot.user, DEMO_PASSWORD)
                auth.post("/language", {"locale": "id", "next": "/"})
                current = shot.user
            response = client.get(shot_path(name, records))
            title = H1.search(response.get_data(as_text=True))
            if response.status_code != 200 or not title:
                failures.append(f"{name}: {response.status_code}")
            elif (
                not re.sub(r"<[^>]+>|\s+", " ", title.group(1))
                .strip()
                .startswith(shot_heading(name))
            ):
                failures.append(f"{name}: {title.group(1)!r}")
        assert failures == []
