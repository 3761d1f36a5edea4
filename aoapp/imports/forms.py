"""Import forms: rendering and CSRF only; field names equal the schema field names."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField

from aoapp.imports.kinds import kinds

DECIMAL_CHOICES = [
    SelectChoice("auto", _l("Detect from the file")),
    SelectChoice("dot", _l("Plain (1234567.89)")),
    SelectChoice("comma", _l("Indonesian (1.234.567,89)")),
]
DATE_CHOICES = [
    SelectChoice("auto", _l("Detect from the file")),
    SelectChoice("iso", _l("ISO (2026-10-31)")),
    SelectChoice("dmy", _l("dd/mm/yyyy (31/10/2026)")),
]


class UploadForm(FlaskForm):
    """Upload a listing with its kind, as-of date and conventions."""

    kind = SelectField(_l("Kind of listing"), validate_choice=False)
    file = FileField(_l("Listing file (.csv or .xlsx)"))
    as_of = StringField(_l("As-of date"))
    partial = BooleanField(_l("Partial listing (do not close accounts missing from it)"))
    decimal = SelectField(_l("Numbers"), choices=DECIMAL_CHOICES, validate_choice=False)
    date_format = SelectField(_l("Dates"), choices=DATE_CHOICES, validate_choice=False)
    encoding = StringField(_l("Encoding"))
    sheet = StringField(_l("Sheet (XLSX)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(kind.key, kind.label) for kind in kinds()]


class UploadTokenForm(FlaskForm):
    """Confirm or discard an uploaded listing, named by its upload token."""

    token = HiddenField()
