"""The hidden fields that let a form be logged without signal (static/offline/offline.js)."""

import json

from flask_login import current_user
from markupsafe import Markup
from wtforms import HiddenField, SelectField

from aoapp.offline.idempotency import FIELD

HIDDEN = Markup(
    '<input type="hidden" name="{}" value="" data-offline-key>'
    '<input type="hidden" name="offline_entry" value="{}">'
)


def offline_fields(form, *, kind: str, api: str, label: str, back: str, record_url: str, **more):
    """An empty idempotency key (the page's script makes one when the form opens) and what the
    service worker needs to queue the form when it cannot be sent: whose it is, the API that
    takes it, the record's pages, the form's labels and choices (for the queue's page).

    `more`: `extra` (fields the API needs besides the form's, e.g. the customer), `record_api`
    (where the record's current state is read when it conflicts), `current` (its fields to show
    then, {name: label}), `resend_if` (the state in which sending again on the current version
    makes sense), `files_api` (where the form's files go once the record exists: "{id}").
    """
    labels, choices = {}, {}
    for field in form:
        if isinstance(field, HiddenField) or field.name == "csrf_token":
            continue
        labels[field.name] = str(field.label.text)
        if isinstance(field, SelectField):
            choices[field.name] = {
                str(value): str(text) for value, text, *_ in field.iter_choices()
            }
    entry = {
        "user": current_user.id,
        "kind": kind,
        "api": api,
        "label": label,
        "back": back,
        "record_url": record_url,
        "labels": labels,
        "choices": choices,
        **{key: _plain(value) for key, value in more.items() if key != "current_choices"},
    }
    for name, more_choices in more.get("current_choices", {}).items():
        choices.setdefault(name, {}).update(_plain(more_choices))
    return HIDDEN.format(FIELD, json.dumps(entry))  # format escapes what it puts in


def _plain(value):
    """Lazy translations as text, inside dicts too."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
