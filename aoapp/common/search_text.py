"""The search key of a name: the words a person types to find it, the same in Python, in
PostgreSQL (the `aoapp_search_key` function of migration 0017) and in SQLite (the same function,
registered on every connection).

Accents are dropped by one fixed table (no database extension needed), apostrophes are dropped
(`Ma'ruf` is `maruf`), everything else that is not a letter or a digit separates words, and the
result is lower case ASCII: `Siti  Nurhaliza-Dewi` → `siti nurhaliza dewi`.
"""

import re

SEARCH_KEY_FUNCTION = "aoapp_search_key"
# Migration 0017 holds a frozen copy of these strings: change both, with a migration.
# Lower case by the same table, not by lower(): the database's locale cannot make them differ.
FOLDED = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅàáâãäåÈÉÊËèéêëÌÍÎÏìíîïÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿÑñÇç"
PLAIN = "abcdefghijklmnopqrstuvwxyzaaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooooouuuuuuuuyyynncc"
DROPPED = "'’`"

_TABLE = str.maketrans(FOLDED, PLAIN, DROPPED)
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def search_key(value: str | None) -> str | None:
    """The lower-case ASCII words of `value`, one space between them (None stays None)."""
    if value is None:
        return None
    return _SEPARATORS.sub(" ", value.translate(_TABLE)).strip()


def register_sqlite_function(dbapi_connection) -> None:
    """Make `aoapp_search_key(text)` callable on a SQLite connection, as on PostgreSQL."""
    dbapi_connection.create_function(SEARCH_KEY_FUNCTION, 1, search_key, deterministic=True)
