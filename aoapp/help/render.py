"""A guide page from Markdown to HTML (markdown-it-py, CommonMark with tables; raw HTML in the
text is escaped, not passed through).

The guide is written to read on GitHub too: its links between pages are relative (`customers.md`,
`followups.md#janji-bayar`) and its pictures live in docs/img (`../img/guide/agenda-phone.png`).
In the app they become the help's own URLs; a relative link to anything else is left as plain
text, since the app does not serve it. Headings get the id GitHub gives them, so anchors work in
both places.
"""

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup

_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")
IMAGE_PREFIX = "../img/"


@dataclass(frozen=True)
class Rendered:
    """A guide page ready for the template: its first heading and its body."""

    title: str
    body: Markup


def anchor(text: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def target(href: str, page_url: Callable[[str], str | None], image_url: Callable[[str], str]):
    """Where a link of the guide leads in the app: a guide page, a picture, an outside address or
    an anchor of the same page as written; None for a relative link the app does not serve."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return href
    path = posixpath.normpath(parts.path)
    if path.startswith(IMAGE_PREFIX):
        return image_url(path.removeprefix(IMAGE_PREFIX))
    if "/" in path or not path.endswith(".md"):
        return None
    url = page_url(path.removesuffix(".md"))
    if url is None:
        return None
    return f"{url}#{parts.fragment}" if parts.fragment else url


def _plain(inline) -> str:
    return "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))


def render(text: str, page_url, image_url) -> Rendered:
    """The page's HTML, its links and pictures pointed at the help's URLs (see `target`)."""
    tokens = _PARSER.parse(text)
    title, seen = "", {}
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            words = _plain(tokens[index + 1])
            title = title or words
            base = anchor(words)
            count = seen.get(base, 0)
            seen[base] = count + 1
            token.attrSet("id", f"{base}-{count}" if count else base)
        elif token.type == "table_open":
            token.attrSet("class", "table table-sm table-bordered w-auto")
        elif token.type == "inline" and token.children:
            token.children = _pointed(token.children, page_url, image_url)
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    return Rendered(title, Markup(html))  # noqa: S704  (escaped by markdown-it: html is off)


def _pointed(children, page_url, image_url) -> list:
    """The inline tokens with links and pictures pointed at the app; unknown links unwrapped."""
    kept, unwrapping = [], False
    for child in children:
        if child.type == "link_open":
            href = target(child.attrGet("href") or "", page_url, image_url)
            if href is None:
                unwrapping = True
                continue
            child.attrSet("href", href)
        elif child.type == "link_close" and unwrapping:
            unwrapping = False
            continue
        elif child.type == "image":
            child.attrSet("src", target(child.attrGet("src") or "", page_url, image_url) or "")
            child.attrSet("class", "img-fluid border rounded my-2")
            child.attrSet("loading", "lazy")
        kept.append(child)
    return kept
