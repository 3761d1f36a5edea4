"""Texts the system writes into records: stored as a code and its parameters, rendered in the
reader's language when shown.

A service that writes a note or a reason for people to read stores `code` and `params` (JSON:
ISO dates, amounts as strings, counts as numbers, codes of labels), never the sentence: the
record is read later by other people, in other languages, on pages, workbooks and feeds.
`render(code, params)` formats the sentence in the current language (`force_locale` for a
workbook's or a feed's). Text typed by people stays text.
"""

from collections.abc import Callable
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
    kinds: dict = field(default_factory=dict)  # name → date, money, number, label, message
    count: str | None = None  # the parameter that chooses the plural form
    compose: Callable[..., str] | None = None  # a text made of parts (its parameters as keywords)


REGISTRY: dict[str, SystemText] = {}


def register(code: str, message, count: str | None = None, **kinds) -> str:
    """Register a system text under `code` (its parameters' kinds by name); returns the code."""
    REGISTRY[code] = SystemText(message, kinds, count)
    return code


def register_composed(code: str, compose: Callable[..., str]) -> str:
    """Register a text made of several messages: `compose(**params)` writes it in the current
    language (optional parts, lists); returns the code."""
    REGISTRY[code] = SystemText(None, compose=compose)
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
    if kind == "message":  # a message id of the catalogue (older records: any text, kept)
        return gettext(value)
    return value


def params_of(**values) -> dict:
    """Parameters as stored (JSON): dates as ISO strings, amounts as strings."""
    return {
        name: value.isoformat()
        if isinstance(value, date)
        else value
        if isinstance(value, int | str | bool | list | dict | None)
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
    if text.compose is not None:
        return text.compose(**params)
    shown = {name: _shown(text.kinds.get(name), value) for name, value in params.items()}
    # The message ids the lazy string was made of (a plain string is its own message id).
    msgids = (text.message,) if isinstance(text.message, str) else text.message._args
    if text.count is not None:
        return ngettext(msgids[0], msgids[1], int(params.get(text.count) or 0), **shown)
    return gettext(msgids[0], **shown)


def said(code: str, **params) -> dict:
    """A system text as kept inside a JSON value (a list of notes): its code and parameters."""
    return {"code": code, "params": params_of(**params)}


def render_said(item) -> str:
    """The text of `said(...)` in the current language; older plain text stays as it was."""
    if isinstance(item, dict) and "code" in item:
        return render(item["code"], item.get("params"))
    return str(item or "")
