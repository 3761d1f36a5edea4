"""Rebuild the message catalogues: extract the strings, update id/en, fill in translations, compile.

    .venv/bin/python -m tools.i18n_build          # extract + update + merge parts + compile
    .venv/bin/python -m tools.i18n_build --check  # also list messages the id catalogue misses

Translations of new messages may be written in aoapp/translations/parts/*.po (plain msgid/msgstr
pairs); they are merged into aoapp/translations/id/LC_MESSAGES/messages.po, which stays the one
catalogue the app reads.
"""

import argparse
import copy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "aoapp" / "translations"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
METHODS = [("aoapp/**.py", "python"), ("aoapp/templates/**.html", "jinja2")]


def extract() -> Catalog:
    """Every message of the code and the templates."""
    template = Catalog(project="aoapp", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def _read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale)
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def parts() -> dict:
    """Translations written in aoapp/translations/parts/*.po, by message id."""
    found = {}
    for path in sorted((TRANSLATIONS / "parts").glob("*.po")):
        with path.open("rb") as file:
            for message in read_po(file, locale="id"):
                if message.id and message.string:
                    found[message.id] = message.string
    return found


def build(check: bool) -> int:
    template = extract()
    with (TRANSLATIONS / "messages.pot").open("wb") as file:
        write_po(file, template, omit_header=False, no_location=True, sort_output=True)
    extra = parts()
    missing = []
    for locale in ("id", "en"):
        path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = _read(path, locale)
        # A copy: Catalog.update() adds new messages as the template's own objects, so the
        # Indonesian strings set below would otherwise reach the English catalogue too.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for message in catalog:
            if not message.id:
                continue
            if locale == "en" and message.string:  # English messages are their own text
                message.string = ("",) * len(message.id) if message.pluralizable else ""
            if locale == "id":
                if message.id in extra:
                    message.string = extra[message.id]
                    message.flags.discard("fuzzy")
                if not message.string or (
                    isinstance(message.string, tuple) and not all(message.string)
                ):
                    missing.append(message.id)
        with path.open("wb") as file:
            write_po(file, catalog, no_location=True, sort_output=True, width=100)
        with path.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalog)
    print(f"{len(template)} messages; id catalogue misses {len(missing)}")
    if check:
        for message in missing:
            print("  missing:", message if isinstance(message, str) else message[0])
    return 1 if check and missing else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    sys.exit(build(parser.parse_args().check))
