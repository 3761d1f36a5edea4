"""Report forms: rendering and CSRF only; the schemas hold the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField

from aoapp.common.forms import Marked, choices
from aoapp.common.i18n import LANGUAGE_NAMES


class GenerateForm(FlaskForm):
    """Generate reports (field names equal GenerateFormSchema's): kind, scope (the view sets the
    choices the role allows) and the period picker (a month, a quarter or two dates). The
    workbooks' language defaults to the user's (the view sets it)."""

    kind = SelectField(
        _l("Kind"),
        choices=choices(
            [("customer", _l("Customer reports")), ("portfolio", _l("Portfolio report"))]
        ),
        validators=[Marked()],
    )
    scope = SelectField(_l("For"), validators=[Marked()])
    period_kind = RadioField(
        _l("Period"),
        choices=choices(
            [("month", _l("A month")), ("quarter", _l("A quarter")), ("custom", _l("Dates"))]
        ),
        default="month",
    )
    month = SelectField(_l("Month"))
    quarter = SelectField(_l("Quarter"))
    start = StringField(_l("From"))
    end = StringField(_l("Until"))
    lang = SelectField(_l("Language"), choices=choices(list(LANGUAGE_NAMES.items())))
    force = BooleanField(_l("Regenerate reports already made"))


class PlainForm(FlaskForm):
    """A form that only carries the CSRF token (Regenerate, ZIP of a selection)."""


class ReviewForm(FlaskForm):
    """Mark a customer's report as reviewed (field names equal ReviewRequestSchema's); `back`
    says which page to return to (`list` or `customer`)."""

    note = TextAreaField(_l("Review note"))
    back = HiddenField(default="list")
