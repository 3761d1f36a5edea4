"""The language of an import's messages: the uploading user's, else the bank's.

Row errors, refusals and notes are saved with the import (and shown in the preview) and the
import may run outside any request (a background thread, the command line); so they are
translated when they are made, in the language of the user who uploaded the listing.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import force_locale

from aoapp.common.i18n import LOCALES, default_locale


def user_language(user) -> str:
    """The user's language (`User.locale`), else the bank's DEFAULT_LOCALE."""
    locale = getattr(user, "locale", None)
    return locale if locale in LOCALES else default_locale()


@contextmanager
def speaking(user=None, locale: str | None = None) -> Iterator[str]:
    """Translate the messages made inside in `locale`, else in the user's language."""
    language = locale if locale in LOCALES else user_language(user)
    with force_locale(language):
        yield language
