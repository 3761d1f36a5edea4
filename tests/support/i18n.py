"""Checks of a page rendered in Indonesian: no English text left where a translation exists."""

import html as html_lib
import re
from functools import cache

from tools.i18n_build import TRANSLATIONS, _read


@cache
def translated_phrases() -> tuple[str, ...]:
    """English messages whose Indonesian translation differs, longest first (two words or more,
    without placeholders, so that they are whole phrases a page would show)."""
    catalogue = _read(TRANSLATIONS / "id" / "LC_MESSAGES" / "messages.po", "id")
    phrases = {
        message.id
        for message in catalogue
        if isinstance(message.id, str)
        and message.string
        and message.string != message.id
        and " " in message.id.strip()
        and "%(" not in message.id
    }
    return tuple(sorted(phrases, key=len, reverse=True))


def visible_text(page: str) -> str:
    """The text a reader sees: no scripts, styles or tags; entities decoded; spaces collapsed."""
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html_lib.unescape(page))


def english_leftovers(page: str) -> list[str]:
    """English phrases from the catalogue that still show on a page rendered in Indonesian."""
    text = visible_text(page)
    return [phrase for phrase in translated_phrases() if phrase in text]


def speak_indonesian(auth) -> None:
    """Switch the logged-in user of `auth` (tests/conftest.AuthActions) to Indonesian."""
    response = auth.post("/language", {"locale": "id", "next": "/"})
    assert response.status_code == 302
