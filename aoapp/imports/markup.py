"""A workbook's parts must be plain XML: a document type declaration (DTD), the carrier of entity
expansion ("billion laughs") and of external entities (XXE), is refused before any reader opens
the file. Excel never writes one. The readers (calamine) expand no entity and fetch nothing, but
they fail on one with a parser's error; the user gets a refusal in plain words instead.

Only the prolog of each part is read (the XML declaration, comments and processing instructions
before the root element), which is where XML allows a DTD: a few bytes of a million-row sheet.
"""

import codecs
import zipfile
import zlib
from pathlib import Path

from aoapp.imports import texts
from aoapp.imports.files import ListingRefused

PROLOG_LIMIT = 64 * 1024  # characters before the root element; Excel writes about 60
CHUNK = 4096
_MORE, _CLEAN, _DECLARED = "more", "clean", "declared"
_UTF16 = (
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)


def check_xlsx_markup(path: str | Path) -> None:
    """Refuse a workbook any part of which declares a document type or entities."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir() and _declares(archive, info):
                    raise ListingRefused(texts.XML_DECLARATIONS)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise ListingRefused(texts.DAMAGED) from None
    except RuntimeError:  # zipfile's answer to an encrypted part
        raise ListingRefused(texts.PASSWORD) from None
    except NotImplementedError:  # a compression zipfile cannot read
        raise ListingRefused(texts.COMPRESSION) from None


def _declares(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part's prolog holds a declaration (`<!DOCTYPE`, `<!ENTITY`), or runs on past
    PROLOG_LIMIT without reaching its root element (no real part does)."""
    with archive.open(info) as part:
        raw = part.read(CHUNK)
        decoder = codecs.getincrementaldecoder(_encoding(raw))(errors="replace")
        text = decoder.decode(raw.removeprefix(codecs.BOM_UTF8), final=len(raw) < CHUNK)
        while True:
            verdict = prolog(text, final=len(raw) < CHUNK)
            if verdict != _MORE:
                return verdict == _DECLARED
            if len(text) > PROLOG_LIMIT:
                return True
            raw = part.read(CHUNK)
            text += decoder.decode(raw, final=len(raw) < CHUNK)


def _encoding(head: bytes) -> str:
    return next((name for mark, name in _UTF16 if head.startswith(mark)), "utf-8")


def prolog(text: str, final: bool = True) -> str:
    """`declared` when the XML prolog of `text` holds a markup declaration, `clean` when the root
    element (or anything that is not XML) comes first, `more` when `text` ends before it tells."""
    at = 0
    text = text.lstrip("\ufeff")
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        rest = text[at : at + 4]
        if not rest:
            return _CLEAN if final else _MORE
        if rest[0] != "<":
            return _CLEAN  # not XML: the readers refuse it in their own words
        if len(rest) < 4 and not final:
            return _MORE
        if rest.startswith(("<?", "<!--")):
            close = "?>" if rest[1] == "?" else "-->"
            end = text.find(close, at + 2)
            if end < 0:
                return _CLEAN if final else _MORE  # unterminated: the readers refuse it
            at = end + len(close)
            continue
        return _DECLARED if rest.startswith("<!") else _CLEAN
