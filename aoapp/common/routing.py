"""The URL converters: `<id:name>` for record ids, bounded to what the database holds, and
`<month:name>` for a calendar month."""

from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter, UnicodeConverter

MAX_ID = 2**31 - 1  # ids are 32-bit integers
# A calendar month as the API writes it, 1900-01 to 2999-12 (years further off are typing
# mistakes, and 9999-12 would have no next month). ECMA and Python read it alike (use fullmatch).
MONTH_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"


class IdConverter(IntegerConverter):
    """A positive 32-bit id; anything larger (or zero) is no route at all, so it answers 404.

    A subclass of werkzeug's integer converter, so the OpenAPI spec documents it as an integer
    with its bounds.
    """

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


class MonthConverter(UnicodeConverter):
    """A month `YYYY-MM`: any one segment matches, so a wrong month reaches the view and answers
    422 with a field message; the OpenAPI document gives the pattern (`pattern_schema`)."""

    pattern = MONTH_PATTERN


def pattern_schema(converter) -> dict:
    """How the OpenAPI document describes a converter with a `pattern`."""
    return {"type": "string", "pattern": converter.pattern}


def init_app(app) -> None:
    """Register `id` and `month` on the URL map, before any blueprint adds its routes."""
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["month"] = MonthConverter


def local_path(target: str | None) -> str | None:
    """`target` when it is a path of this site, else None: a `next` to follow after a form or
    the login, never another host (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return None
    return target
