"""Complaint forms: rendering and CSRF only; the schemas hold the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, SelectField, TextAreaField

from aoapp.common.forms import Marked, enum_choices
from aoapp.complaints.models import Category, Priority, ReceivedChannel


class ComplaintForm(FlaskForm):
    """Log a complaint (field names equal ComplaintFormSchema's)."""

    facility = SelectField(_l("Facility concerned"))
    channel = SelectField(
        _l("Received through"),
        choices=enum_choices(ReceivedChannel, _l("— choose —")),
        validators=[Marked()],
    )
    category = SelectField(
        _l("Category"), choices=enum_choices(Category, _l("— choose —")), validators=[Marked()]
    )
    priority = SelectField(_l("Priority"), choices=enum_choices(Priority), default=Priority.NORMAL)
    description = TextAreaField(_l("What the customer complains about"), validators=[Marked()])
    received_at = DateTimeLocalField(_l("Received at"), format="%Y-%m-%dT%H:%M")
    due_date = DateField(_l("Due date"))


class EscalateForm(FlaskForm):
    """Escalate to the supervisor (the version travels as a hidden input)."""

    reason = TextAreaField(_l("Reason for escalating"), validators=[Marked()])


class ResolveForm(FlaskForm):
    """Record the resolution."""

    resolution = TextAreaField(_l("Resolution"), validators=[Marked()])


class HandBackForm(FlaskForm):
    """Hand an escalated complaint back to the officer."""

    note = TextAreaField(_l("Note to the officer"), validators=[Marked()])


class PlainForm(FlaskForm):
    """An action without fields (start, close): CSRF and the version only."""
