"""Every user-visible text goes through gettext, and the Indonesian catalogue has all of it."""

import re
from pathlib import Path

import pytest
from jinja2 import Environment
from jinja2.ext import i18n as i18n_extension

from tools.i18n_build import TRANSLATIONS, _read, extract

TEMPLATES = Path(__file__).resolve().parents[2] / "aoapp" / "templates"
# Words that are the same in every language and need no catalogue entry.
NEUTRAL = {"aoapp"}
TEXT_ATTRIBUTES = re.compile(
    r'\b(?:title|placeholder|aria-label|alt|aria-description)="([^"{]*[A-Za-z][^"{]*)"'
)
WORD = re.compile(r"[A-Za-z]{2,}")
PHRASE = re.compile(r"^[A-Z][a-z]+( [A-Za-z]+)*[.!?]?$")  # 'Yes', 'No target', 'Met'
GETTEXT_CALLS = [[("name", name), ("operator", "(")] for name in ("_", "gettext", "ngettext")]


def _visible_text(chunks: list[str]) -> str:
    """The text between tags of consecutive template data, keeping track of tags that an
    expression interrupts (`<a href="{{ url }}" class="x">`)."""
    out, inside = [], False
    for chunk in chunks:
        i = 0
        while i < len(chunk):
            char = chunk[i]
            if not inside and char == "<" and re.match(r"</?[A-Za-z!]", chunk[i : i + 3]):
                inside = True
            elif inside and char == ">":
                inside = False
                out.append(" ")
            elif not inside:
                out.append(char)
            i += 1
        out.append(" ")
    return "".join(out)


def _untranslated(source: str) -> list[str]:
    """Literal text of a template outside gettext: text between tags, and text attributes."""
    env = Environment(extensions=[i18n_extension], autoescape=True)
    source = re.sub(r"<!--.*?-->|<script.*?</script>|<style.*?</style>", " ", source, flags=re.S)
    found, chunks, previous = [], [], []
    in_trans = False
    for _line, kind, value in env.lex(source):
        text = value[1:-1] if kind == "string" else ""
        if PHRASE.match(text) and previous[-2:] not in GETTEXT_CALLS:
            found.append(text)  # a label written as a string in an expression: 'Yes' if …
        if kind != "whitespace":
            previous.append((kind, value))
        if kind == "name" and value in ("trans", "pluralize"):
            in_trans = True
        elif kind == "name" and value == "endtrans":
            in_trans = False
        if kind != "data":
            continue
        found += [m.group(1) for m in TEXT_ATTRIBUTES.finditer(value)]
        chunks.append(" " * len(value) if in_trans else value)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", _visible_text(chunks))
    return found + [word for word in WORD.findall(text) if word not in NEUTRAL]


def test_the_checker_sees_literals_and_spares_gettext():
    assert _untranslated("<p>Hello <b>world</b></p>") == ["Hello", "world"]
    assert _untranslated('<input placeholder="Search">') == ["Search"]
    assert _untranslated("<p>{{ _('Hello') }} {% trans %}World{% endtrans %}</p>") == []
    assert _untranslated('<a href="{{ url }}" class="btn btn-sm">{{ x }}</a>') == []
    assert _untranslated("{{ 'Yes' if ok else _('No') }} {{ 'text-bg-danger' }}") == ["Yes"]


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
)
def test_templates_hold_no_untranslated_text(template):
    assert _untranslated((TEMPLATES / template).read_text(encoding="utf-8")) == []


def test_the_indonesian_catalogue_has_every_message():
    catalogue = _read(TRANSLATIONS / "id" / "LC_MESSAGES" / "messages.po", "id")
    missing = []
    for message in extract():
        if not message.id:
            continue
        found = catalogue.get(message.id, context=message.context)
        strings = found.string if found is not None else None
        if isinstance(strings, tuple):
            strings = all(strings)
        if found is None or not strings or found.fuzzy:
            missing.append(message.id)
    assert missing == []


@pytest.mark.parametrize("locale", ["id", "en"])
def test_every_translation_compiles(locale):
    """What `pybabel compile` (make translations) refuses: a placeholder the msgid lacks, a
    wrong plural count. A catalogue merged by hand must still compile."""
    catalogue = _read(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    problems = [
        f"{message.id!r}: {error}" for message, errors in catalogue.check() for error in errors
    ]
    assert problems == []
