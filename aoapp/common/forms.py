"""Bridge between WTForms (rendering, CSRF) and marshmallow (the validation rules)."""

from flask import request
from flask_babel import LazyString
from marshmallow import Schema, ValidationError, fields
from wtforms import SelectChoice, StringField

from aoapp.common.i18n import locale_code
from aoapp.common.money import format_typed
from aoapp.common.schemas import Typed
from aoapp.common.templating import label
from aoapp.errors import DomainError


def raw_form_data(schema: Schema, only_present: bool = False) -> dict:
    """The submitted values of the schema's loadable fields; checkboxes become booleans."""
    data = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = field.data_key or name
        if isinstance(field, fields.Boolean):
            if key in request.form or not only_present:
                data[key] = request.form.get(key) in {"y", "on", "true", "1"}
            continue
        if isinstance(field, fields.List):
            values = [v for v in request.form.getlist(key) if v.strip()]
            if values or not only_present:
                data[key] = values
            continue
        if key not in request.form:
            continue
        value = request.form.get(key, "")
        if value.strip() == "":
            if field.allow_none:
                data[key] = None
            elif field.required:
                data[key] = value  # the schema answers "This field is required."
        else:
            data[key] = Typed(value) if getattr(field, "reads_typed", False) else value
    return data


def copy_errors(form, errors: dict) -> None:
    """Put schema or domain errors onto the WTForms fields (or the form's general errors)."""
    general = []
    for name, messages in errors.items():
        messages = messages if isinstance(messages, list) else [str(messages)]
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors") and field.type != "HiddenField":
            field.errors = list(field.errors or []) + [str(m) for m in messages]
        else:
            general.extend(f"{name}: {m}" for m in messages)
    form.general_errors = general


def load_form(schema: Schema, form, **load_kwargs) -> dict | None:
    """Validate the submitted form with the schema; on failure copy errors to the form."""
    try:
        return schema.load(
            raw_form_data(schema, only_present=load_kwargs.get("partial", False)), **load_kwargs
        )
    except ValidationError as error:
        copy_errors(form, error.normalized_messages())
        return None


def apply_domain_error(form, error: DomainError) -> None:
    """Show a service's refusal on the form."""
    if error.errors:
        copy_errors(form, error.errors)
    else:
        form.general_errors = [error.message]


def load_filters(schema: Schema) -> dict:
    """Parse list filters from the query string; blank, unknown or invalid values are ignored."""
    args = {key: value for key, value in request.args.items() if value.strip()}
    while True:
        try:
            return schema.load(args)
        except ValidationError as error:
            bad = set(error.messages) & set(args)
            if not bad:
                return schema.load({})
            for key in bad:
                args.pop(key)


def load_filters_reporting(schema: Schema, label) -> tuple[dict, list[str]]:
    """Parse list filters from the query string; a bad value is dropped and reported (as
    "<label(field)>: <message>"), never fatal."""
    args = {k: v for k, v in request.args.items() if v.strip() and k != "per_page"}
    try:
        return schema.load(args), []
    except ValidationError as error:
        messages = error.normalized_messages()
        for key in messages:
            args.pop(key, None)
        problems = [f"{label(key)}: {' '.join(map(str, msgs))}" for key, msgs in messages.items()]
        return schema.load(args), problems


def choices(pairs, blank: str | None = None) -> list[SelectChoice]:
    """Select options from (value, label) pairs, optionally led by a blank option."""
    options = [SelectChoice(value=value, label=text) for value, text in pairs]
    return ([SelectChoice(value="", label=blank)] if blank is not None else []) + options


def enum_choices(enum, blank: str | None = None) -> list[SelectChoice]:
    """Select options from an enumeration's codes, optionally led by a blank option; the labels
    are lazy (translated when the form is rendered, in the request's language)."""
    return choices([(member.value, LazyString(label, member.value)) for member in enum], blank)


class Marked:
    """Marks a field as required on screen (an asterisk); the schema enforces it."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class MoneyField(StringField):
    """An amount input: the numeric keypad on phones, the stored amount shown as people write it
    (`75.000.000` in Indonesian), read back by the schema's Money field (common.money)."""

    def __call__(self, **kwargs):
        kwargs.setdefault("inputmode", "decimal")
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("data_money", locale_code())  # money.js groups digits as one types
        return super().__call__(**kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_typed(self.data, locale_code()) if self.data not in (None, "") else ""
