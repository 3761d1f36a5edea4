"""Complaint forms: rendering and CSRF only; the schemas hold the rules."""

from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, SelectField, TextAreaField

from aoapp.common.forms import enum_choices
from aoapp.complaints.models import Category, Priority, ReceivedChannel
from aoapp.customers.forms import Marked


class ComplaintForm(FlaskForm):
    """Log a complaint (field names equal ComplaintFormSchema's)."""

    facility = SelectField("Facility concerned")
    channel = SelectField(
        "Received through",
        choices=enum_choices(ReceivedChannel, "— choose —"),
        validators=[Marked()],
    )
    category = SelectField(
        "Category", choices=enum_choices(Category, "— choose —"), validators=[Marked()]
    )
    priority = SelectField("Priority", choices=enum_choices(Priority), default=Priority.NORMAL)
    description = TextAreaField("What the customer complains about", validators=[Marked()])
    received_at = DateTimeLocalField("Received at", format="%Y-%m-%dT%H:%M")
    due_date = DateField("Due date")


class EscalateForm(FlaskForm):
    """Escalate to the supervisor (the version travels as a hidden input)."""

    reason = TextAreaField("Reason for escalating", validators=[Marked()])


class ResolveForm(FlaskForm):
    """Record the resolution."""

    resolution = TextAreaField("Resolution", validators=[Marked()])


class HandBackForm(FlaskForm):
    """Hand an escalated complaint back to the officer."""

    note = TextAreaField("Note to the officer", validators=[Marked()])


class PlainForm(FlaskForm):
    """An action without fields (start, close): CSRF and the version only."""
