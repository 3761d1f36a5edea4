"""Options of a listing import (shared by the upload page and the API) and the API's shapes."""

import codecs

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest.fields import Upload
from marshmallow import ValidationError, fields, post_load, validate

from aoapp.common.dates import bank_today
from aoapp.common.schemas import MAX_PAGE, BaseSchema, Text, _Message
from aoapp.imports.kinds import DEFAULT_KIND, kinds
from aoapp.imports.models import ImportStatus, PositionImport
from aoapp.imports.parsing import RowError

DECIMALS = ("auto", "dot", "comma")
DATE_FORMATS = ("auto", "iso", "dmy")


def _known_encoding(value: str | None) -> None:
    if value is None:
        return
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValidationError(
            _("Unknown encoding %(encoding)s (e.g. cp1252, latin-1).", encoding=repr(value))
        ) from None


def _known_kind(value: str) -> None:
    keys = [kind.key for kind in kinds()]
    if value not in keys:
        raise ValidationError(
            _(
                "Unknown listing kind %(kind)s: use %(kinds)s.",
                kind=repr(value),
                kinds=", ".join(keys),
            )
        )


def _not_in_future(value) -> None:
    if value is not None and value > bank_today():
        raise ValidationError(_("The as-of date cannot be in the future."))


AS_OF_REQUIRED = "The as-of date is required."
_l("The as-of date is required.")  # AS_OF_REQUIRED, for extraction: _Message translates it


class AsOfDate(fields.Date):
    """An ISO date, required: missing or blank says so; anything else is refused as not a date,
    in the request's language."""

    default_error_messages = {
        **fields.Date.default_error_messages,
        "required": _Message(AS_OF_REQUIRED),
        "null": _Message(AS_OF_REQUIRED),
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValidationError(_(AS_OF_REQUIRED))
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            raise ValidationError(_("Not a valid date (YYYY-MM-DD).")) from None


class ImportOptionsSchema(BaseSchema):
    """How to read the listing: its kind, as-of date and the file's conventions ("auto" = detect)."""

    kind = fields.String(
        load_default=DEFAULT_KIND,
        validate=_known_kind,
        metadata={"description": "The kind of listing: loans (the default) or deposits"},
    )
    as_of = AsOfDate(
        required=True,
        validate=_not_in_future,
        metadata={"description": "As-of date of the listing, YYYY-MM-DD"},
    )
    partial = fields.Boolean(
        load_default=False,
        metadata={"description": "Leave open accounts missing from the file alone"},
    )
    decimal = fields.String(
        load_default="auto",
        validate=validate.OneOf(DECIMALS),
        metadata={"description": "Numbers: dot = 1234567.89, comma = 1.234.567,89"},
    )
    date_format = fields.String(
        load_default="auto",
        validate=validate.OneOf(DATE_FORMATS),
        metadata={"description": "Dates: iso = 2026-10-31, dmy = 31/10/2026"},
    )
    encoding = Text(
        load_default=None,
        allow_none=True,
        max_length=30,
        validate=[_known_encoding],
        metadata={"description": "File encoding when not UTF-8, e.g. cp1252 (blank = UTF-8)"},
    )
    sheet = Text(
        load_default=None,
        allow_none=True,
        max_length=100,
        metadata={"description": "XLSX sheet name (blank = the first)"},
    )

    @post_load
    def _auto_means_detect(self, data, **_kwargs):
        for key in ("decimal", "date_format"):
            if data.get(key) == "auto":
                data[key] = None
        return data


class ImportFileSchema(BaseSchema):
    """The uploaded listing."""

    file = Upload(required=True, metadata={"description": "The listing, .csv or .xlsx"})


class ImportUploadDocSchema(ImportOptionsSchema):
    """The multipart body of an import as the OpenAPI document shows it (file and options)."""

    file = Upload(required=True, metadata={"description": "The listing, .csv or .xlsx"})


class ImportListArgsSchema(BaseSchema):
    """Page of the imports list, optionally one status."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    status = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf([s.value for s in ImportStatus]),
    )


def _summary(record) -> dict:
    return {k: v for k, v in (record.summary or {}).items() if k != "notes"}


class ImportRecordSchema(BaseSchema):
    """The record of one import: who, when, which file, conventions, counts, status."""

    class Meta:
        model = PositionImport

    id = fields.Integer()
    kind = fields.String(metadata={"description": "The kind of listing: loans | deposits"})
    status = fields.String(metadata={"description": "running | succeeded | rejected | failed"})
    stage = fields.String()
    progress = fields.Integer(metadata={"description": "Percent"})
    source = fields.String(metadata={"description": "cli | web | api | demo"})
    user = fields.Function(lambda r: r.user.username if r.user else None)
    file_name = fields.String()
    sha256 = fields.String()
    as_of = fields.Date()
    partial = fields.Boolean()
    decimal = fields.String(
        allow_none=True, metadata={"description": "Number convention used (dot | comma)"}
    )
    date_format = fields.String(
        allow_none=True, metadata={"description": "Date format used (iso | dmy)"}
    )
    encoding = fields.String(allow_none=True)
    rows = fields.Integer()
    error_count = fields.Integer()
    message = fields.String(
        allow_none=True,
        attribute="shown_message",
        metadata={"description": "Why it was refused or failed, in the request's language"},
    )
    message_code = fields.String(
        allow_none=True,
        metadata={"description": "The code of that message (imports/texts.py), when it has one"},
    )
    summary = fields.Function(
        _summary,
        metadata={
            "description": "Counts (customers and facilities or deposit accounts created, "
            "updated, closed); loans: kol_distribution, upgrades, downgrades; deposits: by_type "
            "(count and balance per giro, tabungan, deposito); timings, seconds"
        },
    )
    notes = fields.Function(
        lambda r: r.shown_notes,
        metadata={"description": "How the file was read, in the request's language"},
    )
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


class RowErrorSchema(BaseSchema):
    """One problem in one cell (row numbers count the header as row 1)."""

    class Meta:
        model = RowError

    row = fields.Integer()
    column = fields.String()
    value = fields.String()
    message = fields.String()


class ImportErrorsSchema(BaseSchema):
    """Why a listing was refused: its row errors, or the problem of the file as a whole."""

    rows = fields.List(fields.Nested(RowErrorSchema))
    file = fields.List(fields.String())


class ImportRejectedSchema(BaseSchema):
    """422: the listing was refused and nothing changed (every row error, or the file's problem)."""

    code = fields.Integer()
    status = fields.String()
    message = fields.String()
    error = fields.String()
    import_id = fields.Integer(data_key="import")
    errors = fields.Nested(ImportErrorsSchema)
