"""Jinja filters and globals: IDR money, phone links, local dates."""

from datetime import date, datetime

from flask import Flask, request, url_for

from aoapp.common.dates import to_local
from aoapp.common.identity import display_phone, whatsapp_url
from aoapp.common.money import format_idr


def format_date(value: date | None) -> str:
    """Business date as dd/mm/yyyy (the Indonesian habit)."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    """UTC timestamp shown in the bank's time zone."""
    local = to_local(value)
    return local.strftime("%d/%m/%Y %H:%M") if local else ""


def label(code: str | None) -> str:
    """Human label of an enumeration code: 'social_media' → 'Social media'."""
    if not code:
        return ""
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


def url_with(**changes) -> str:
    """The current list URL with some query arguments changed (for sorting and paging)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    """Register the filters and globals."""
    app.jinja_env.filters.update(
        idr=format_idr,
        phone=display_phone,
        wa=whatsapp_url,
        date=format_date,
        datetime=format_datetime,
        label=label,
    )
    app.jinja_env.globals.update(url_with=url_with)

    @app.context_processor
    def bank():
        return {"bank_name": app.config.get("BANK_NAME", "Bank")}
