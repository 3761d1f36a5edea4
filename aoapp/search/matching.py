"""What a typed search text can be: a name's words, a CIF or account number (or the start of
one), a NIK, a phone number. Pure functions; the queries are in services.py."""

import re
from dataclasses import dataclass

from aoapp.common.search_text import search_key

MIN_LENGTH = 2  # fewer characters find too much to be useful
MAX_LENGTH = 100
MAX_WORDS = 5
# A CIF or account number is one token of letters, digits and dashes (the bank's patterns;
# tests use `CIF0000012`); it is looked for only when it holds a digit.
IDENTIFIER = re.compile(r"^[A-Za-z0-9-]+$")
# A phone number is digits and separators only, with an optional leading + (as the customer
# list decides since it stopped matching CIF-like text with phones by a few digits).
PHONE_TEXT = re.compile(r"^\+?[\d\s().-]+$")
MIN_PHONE_DIGITS = 4  # national digits (after 0, 62 or +62) before a phone is looked for
_SEPARATORS = re.compile(r"[\s().-]")


@dataclass(frozen=True)
class Query:
    """A search text read every way it can be meant."""

    text: str
    words: tuple[str, ...]  # the name's words (search keys), at most MAX_WORDS
    identifiers: tuple[str, ...]  # CIF / account number as typed, and upper case
    nik: str | None  # 16 digits
    phone_prefix: str | None  # normalised start of a phone number: 62812345…

    @property
    def phrase(self) -> str:
        """The words as one prefix of a whole name: `siti nur`."""
        return " ".join(self.words)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.identifiers or self.nik or self.phone_prefix)


def read_query(text: str | None) -> Query:
    """Read `text`; shorter than MIN_LENGTH (spaces aside) it finds nothing."""
    text = (text or "").strip()[:MAX_LENGTH]
    if len(text) < MIN_LENGTH:
        return Query(text, (), (), None, None)
    # A text without a letter is a number: names are not searched for it.
    has_letter = any(ch.isalpha() for ch in text)
    words = tuple((search_key(text) or "").split()[:MAX_WORDS]) if has_letter else ()
    identifiers: tuple[str, ...] = ()
    if IDENTIFIER.match(text) and any(ch.isdigit() for ch in text):
        identifiers = tuple(dict.fromkeys((text, text.upper())))
    digits = _SEPARATORS.sub("", text).removeprefix("+")
    nik = digits if len(digits) == 16 and digits.isdigit() else None
    return Query(text, words, identifiers, nik, _phone_prefix(text))


def _phone_prefix(text: str) -> str | None:
    """`0812-34`, `+62 812 34` and `6281234` all start the normalised number `6281234`."""
    if not PHONE_TEXT.match(text):
        return None
    digits = _SEPARATORS.sub("", text).removeprefix("+")
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return None  # an Indonesian number is typed from 0, 62 or +62
    national = national.lstrip("0")
    return "62" + national if len(national) >= MIN_PHONE_DIGITS else None
