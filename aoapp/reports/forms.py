"""Report forms: rendering and CSRF only; the schemas hold the rules."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField

from aoapp.common.forms import choices
from aoapp.customers.forms import Marked


class GenerateForm(FlaskForm):
    """Generate reports of a period (field names equal GenerateFormSchema's)."""

    period = StringField("Period", validators=[Marked()])
    kind = SelectField(
        "Kind",
        choices=choices([("customer", "Customer reports"), ("portfolio", "Portfolio report")]),
        validators=[Marked()],
    )
    officer_id = SelectField("Officer")
    branch_id = SelectField("Branch")
    force = BooleanField("Regenerate reports already made")


class PlainForm(FlaskForm):
    """A form that only carries the CSRF token (Regenerate, ZIP of a selection)."""
