"""HTML validity checks shared by page and browser tests: every id present once and well formed,
every label's `for` naming an element of the page."""

from collections import Counter
from html.parser import HTMLParser

# The ids of the rendered document, as the browser sees them (the DOM after scripts ran).
DOM_IDS = "() => Array.from(document.querySelectorAll('[id]'), e => e.id)"
DOM_LABEL_TARGETS = "() => Array.from(document.querySelectorAll('label[for]'), e => e.htmlFor)"


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.label_targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.ids.append(values["id"] or "")
        if tag == "label" and values.get("for"):
            self.label_targets.append(values["for"])


def id_problems(ids: list[str], label_targets: list[str] = ()) -> list[str]:
    """What is wrong with a page's ids: duplicates, empty ones or with spaces (invalid in HTML),
    and labels pointing at no element."""
    problems = [
        f"duplicate id {name!r} ×{count}" for name, count in Counter(ids).items() if count > 1
    ]
    problems += [
        f"invalid id {name!r}" for name in ids if not name or any(c.isspace() for c in name)
    ]
    known = set(ids)
    problems += [f"label for missing id {name!r}" for name in label_targets if name not in known]
    return problems


def html_id_problems(page: str) -> list[str]:
    """`id_problems` of an HTML text (a test client's response)."""
    parser = _Ids()
    parser.feed(page)
    return id_problems(parser.ids, parser.label_targets)


def dom_id_problems(page) -> list[str]:
    """`id_problems` of the document a Playwright page shows now."""
    return id_problems(page.evaluate(DOM_IDS), page.evaluate(DOM_LABEL_TARGETS))
