"""Texts the system writes into records: stored as a code and its parameters, rendered in the
reader's language when shown.

A service that writes a note or a reason for people to read stores `code` and `params` (JSON:
ISO dates, amounts as strings, counts as numbers, codes of labels), never the sentence: the
record is read later by other people, in other languages, on pages, workbooks and feeds.
`render(code, params)` formats the sentence in the current language (`force_locale` for a
workbook's or a feed's). Text typed by people stays text.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext, ngettext

from aoapp.common.i18n import format_date, format_money, format_number
from aoapp.common.templating import label


@dataclass(frozen=True)
class SystemText:
    """One text the system writes: its message (and plural), and how each parameter is shown."""

    message: object  # lazy_gettext(msgid), or lazy_ngettext(singular, plural, 1)
    kinds: dict = field(default_factory=dict)  # name → date, money, number, label
    count: str | None = None  # the parameter that chooses the plural form


REGISTRY: dict[str, SystemText] = {}


def register(code: str, message, count: str | None = None, **kinds) -> str:
    """Register a system text under `code` (its parameters' kinds by name); returns the code."""
    REGISTRY[code] = SystemText(message, kinds, count)
    return code


def _shown(kind: str | None, value):
    if value is None:
        return ""
    if kind == "date":
        return format_date(date.fromisoformat(value) if isinstance(value, str) else value)
    if kind == "money":
        return format_money(value)
    if kind == "number":
        return format_number(value)
    if kind == "label":
        return str(label(value)).lower()
    return value


def params_of(**values) -> dict:
    """Parameters as stored (JSON): dates as ISO strings, amounts as strings."""
    return {
        name: value.isoformat()
        if isinstance(value, date)
        else value
        if isinstance(value, int | str | None)
        else str(value)
        for name, value in values.items()
    }


def sql_params(dialect: str, **values) -> sa.ColumnElement:
    """SQL: parameters as a JSON object built row by row (an INSERT ... SELECT of many rows)."""
    function = sa.func.json_build_object if dialect == "postgresql" else sa.func.json_object
    pairs = [part for name, value in values.items() for part in (sa.literal(name), value)]
    return function(*pairs)


def render(code: str | None, params: dict | None = None) -> str:
    """The text of `code` in the current language ('' without a code; the code when unknown)."""
    if not code:
        return ""
    text = REGISTRY.get(code)
    if text is None:
        return code
    params = params or {}
    shown = {name: _shown(text.kinds.get(name), value) for name, value in params.items()}
    msgids = text.message._args  # the message ids the lazy string was made of
    if text.count is not None:
        return ngettext(msgids[0], msgids[1], int(params.get(text.count) or 0), **shown)
    return gettext(msgids[0], **shown)
