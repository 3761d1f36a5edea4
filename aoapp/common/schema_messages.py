"""marshmallow's messages in plain words that follow the reader's language, and booleans that
are true or false, never a number: installed on marshmallow's classes once, on import."""

from flask import has_app_context
from flask_babel import gettext as translate
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate


class Message(str):
    """A validation message translated when shown: marshmallow formats its validators' messages
    when a schema is declared (Range) and when a value fails, so the English text travels as the
    string's value and the translation is looked up by str() (errors.plain(), the forms)."""

    def __new__(cls, template: str, steps: tuple = ()):
        text = template
        for step in steps:
            text = text.format(**{key: str(value) for key, value in step.items()})
        self = super().__new__(cls, text)
        self.template, self.steps = template, steps
        return self

    def format(self, *args, **kwargs):
        return Message(self.template, (*self.steps, kwargs))

    def __str__(self) -> str:
        text = translate(self.template) if has_app_context() else self.template
        for step in self.steps:
            text = text.format(**{key: str(value) for key, value in step.items()})
        return text

    def __html__(self) -> str:
        return str(self)


def _messages(target, **messages) -> None:
    """Replace marshmallow's built-in English messages by ones that follow the language."""
    for key, text in messages.items():
        setattr(target, key, Message(text))


# marshmallow's own messages, listed with _l so that they are extracted and translated.
_l("This field is required.")
_l("Not a valid integer.")
_l("Not a valid number.")
_l("Number too large.")
_l("Not a valid string.")
_l("Not a valid boolean.")
_l("Not a valid date.")
_l("Not a valid datetime.")
_l("Not a valid list.")
_l("Not a valid mapping type.")
_l("Not a valid email address.")
_l("Invalid value.")
_l("Invalid type.")
_l("Invalid input.")
_l("Unknown field.")
_l("Invalid input type.")
_l("Special numeric values (nan or infinity) are not permitted.")
_l("Must be {min_op} {{min}}.")
_l("Must be {max_op} {{max}}.")
_l("Must be {min_op} {{min}} and {max_op} {{max}}.")
_l("greater than or equal to")
_l("greater than")
_l("less than or equal to")
_l("less than")
_l("Shorter than minimum length {min}.")
_l("Longer than maximum length {max}.")
_l("Length must be between {min} and {max}.")
_l("Length must be {equal}.")
_l("Must be one of: {choices}.")
_l("Not a valid id.")
_l("At most {max} characters.")
_l("String does not match expected pattern.")

for _field, _texts in {
    fields.Field: {
        "required": "This field is required.",
        "null": "This field is required.",
        "validator_failed": "Invalid value.",
    },
    fields.Integer: {"invalid": "Not a valid integer."},
    fields.Number: {"invalid": "Not a valid number.", "too_large": "Number too large."},
    fields.Decimal: {"special": "Special numeric values (nan or infinity) are not permitted."},
    fields.Float: {"special": "Special numeric values (nan or infinity) are not permitted."},
    fields.String: {"invalid": "Not a valid string."},
    fields.Boolean: {"invalid": "Not a valid boolean."},
    fields.Date: {"invalid": "Not a valid date."},
    fields.DateTime: {"invalid": "Not a valid datetime."},
    fields.List: {"invalid": "Not a valid list."},
    fields.Mapping: {"invalid": "Not a valid mapping type."},
    fields.Email: {"invalid": "Not a valid email address."},
    fields.Nested: {"type": "Invalid type."},
}.items():
    _own = dict(_field.__dict__.get("default_error_messages", {}))
    _own.update({key: Message(text) for key, text in _texts.items()})
    _field.default_error_messages = _own
_messages(
    validate.Range,
    message_min="Must be {min_op} {{min}}.",
    message_max="Must be {max_op} {{max}}.",
    message_all="Must be {min_op} {{min}} and {max_op} {{max}}.",
    message_gte="greater than or equal to",
    message_gt="greater than",
    message_lte="less than or equal to",
    message_lt="less than",
)
_messages(
    validate.Length,
    message_min="Shorter than minimum length {min}.",
    message_max="Longer than maximum length {max}.",
    message_all="Length must be between {min} and {max}.",
    message_equal="Length must be {equal}.",
)
_messages(validate.OneOf, default_message="Must be one of: {choices}.")
_messages(validate.Regexp, default_message="String does not match expected pattern.")
_messages(validate.NoneOf, default_message="Invalid input.")


_read_boolean = fields.Boolean._deserialize


def _boolean(self, value, attr, data, **kwargs):
    """A boolean is true or false (JSON), or a word a form or query string sends ("on", "true",
    "1"); never a number: marshmallow would take 1 and 0 (and 1.0), which the document refuses."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise self.make_error("invalid", input=value)
    return _read_boolean(self, value, attr, data, **kwargs)


fields.Boolean._deserialize = _boolean
