"""Import forms: rendering and CSRF only; field names equal the schema field names."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField

DECIMAL_CHOICES = [
    SelectChoice("auto", "Detect from the file"),
    SelectChoice("dot", "Plain (1234567.89)"),
    SelectChoice("comma", "Indonesian (1.234.567,89)"),
]
DATE_CHOICES = [
    SelectChoice("auto", "Detect from the file"),
    SelectChoice("iso", "ISO (2026-10-31)"),
    SelectChoice("dmy", "dd/mm/yyyy (31/10/2026)"),
]


class UploadForm(FlaskForm):
    """Upload a loan listing with its as-of date and conventions."""

    file = FileField("Listing file (.csv or .xlsx)")
    as_of = StringField("As-of date")
    partial = BooleanField("Partial listing (do not close facilities missing from it)")
    decimal = SelectField("Numbers", choices=DECIMAL_CHOICES, validate_choice=False)
    date_format = SelectField("Dates", choices=DATE_CHOICES, validate_choice=False)
    encoding = StringField("Encoding")
    sheet = StringField("Sheet (XLSX)")


class UploadTokenForm(FlaskForm):
    """Confirm or discard an uploaded listing, named by its upload token."""

    token = HiddenField()
