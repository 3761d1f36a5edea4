"""Jinja filters and globals: IDR money, phone links, local dates."""

from flask import Flask, request, url_for
from flask_babel import gettext
from jinja2 import pass_context
from markupsafe import Markup

from aoapp.common import i18n
from aoapp.common.collection_window import describe_days, describe_hours, zone_label
from aoapp.common.identity import display_phone, whatsapp_url


def humanise(code: str | None) -> str:
    """The English label of an enumeration code: 'social_media' → 'Social media'."""
    if not code:
        return ""
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


def label(code: str | None) -> str:
    """An enumeration code's label in the request's language.

    The English label is the message id; each feature lists its codes' labels for extraction in
    its `labels.py` (tests/i18n/test_enums.py checks every code of every enumeration has one).
    """
    text = humanise(code)
    return gettext(text) if text else ""


def money(value, with_cents: bool = False) -> Markup:
    """An amount on a page: `Rp 1.234.567` marked `.money`, which never breaks over two lines.

    `idr` gives the bare text, for attributes (a title) and other plain-text places.
    """
    text = i18n.format_money(value, with_cents)
    return Markup('<span class="money">%s</span>') % text if text else Markup("")


def url_with(**changes) -> str:
    """The current list URL with some query arguments changed (for sorting and paging)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def _when_rendered(write):
    """A filter written in the reader's language, run at each rendering. Jinja evaluates a filter
    of a constant (`'done'|label`) once, when it compiles the template, unless the filter takes
    the context: the first reader's language would then stay in the page for everyone."""

    @pass_context
    def rendered(_context, *args, **kwargs):
        return write(*args, **kwargs)

    return rendered


def init_app(app: Flask) -> None:
    """Register the filters and globals, and the templates' gettext (after Flask-Babel's)."""
    i18n.install_template_gettext(app.jinja_env)
    in_language = {
        "idr": i18n.format_money,
        "money": money,
        "number": i18n.format_number,
        "pct": i18n.format_ratio,
        "date": i18n.format_date,
        "datetime": i18n.format_datetime,
        "clock": i18n.format_clock,
        "weekday": i18n.format_weekday,
        "filesize": i18n.format_size,
        "label": label,
        "zone_label": zone_label,
    }
    app.jinja_env.filters.update(
        {name: _when_rendered(write) for name, write in in_language.items()},
        phone=display_phone,
        wa=whatsapp_url,
    )
    app.jinja_env.globals.update(
        url_with=url_with,
        current_locale=i18n.locale_code,
        language_names=i18n.LANGUAGE_NAMES,
        collection_days=describe_days,
        collection_hours=describe_hours,
    )

    @app.context_processor
    def bank():
        return {"bank_name": app.config.get("BANK_NAME", "Bank")}
