"""Report forms: rendering and CSRF only; the schemas hold the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField

from aoapp.common.forms import Marked, choices
from aoapp.common.i18n import LANGUAGE_NAMES


class GenerateForm(FlaskForm):
    """Generate reports of a period (field names equal GenerateFormSchema's). The workbooks'
    language defaults to the user's (the view sets it)."""

    period = StringField(_l("Period"), validators=[Marked()])
    kind = SelectField(
        _l("Kind"),
        choices=choices(
            [("customer", _l("Customer reports")), ("portfolio", _l("Portfolio report"))]
        ),
        validators=[Marked()],
    )
    officer_id = SelectField(_l("Officer"))
    branch_id = SelectField(_l("Branch"))
    lang = SelectField(_l("Language"), choices=choices(list(LANGUAGE_NAMES.items())))
    force = BooleanField(_l("Regenerate reports already made"))


class PlainForm(FlaskForm):
    """A form that only carries the CSRF token (Regenerate, ZIP of a selection)."""
