"""Follow-up forms: rendering and CSRF only; followups/schemas.py holds the rules."""

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField, TimeField

from aoapp.common.forms import enum_choices
from aoapp.customers.forms import Marked
from aoapp.followups.models import Channel, Outcome, Purpose


class PlanForm(FlaskForm):
    """Plan a follow-up (field names equal PlanSchema's; `party` only when none is given)."""

    party = SelectField("Customer or prospect", validators=[Marked()])
    facility = SelectField("Facility")
    channel = SelectField(
        "Channel", choices=enum_choices(Channel, "— choose —"), validators=[Marked()]
    )
    purpose = SelectField(
        "Purpose", choices=enum_choices(Purpose, "— choose —"), validators=[Marked()]
    )
    planned_date = DateField("Planned date", validators=[Marked()])
    planned_time = TimeField("Time (optional)")
    notes = TextAreaField("Notes")


class CompleteForm(FlaskForm):
    """Log the outcome, a promise to pay and the next follow-up (names equal CompleteSchema's)."""

    version = HiddenField()
    outcome = SelectField("Outcome", validators=[Marked()])
    notes = TextAreaField("Notes")
    promised_amount = StringField("Promised amount (Rp)")
    promised_date = DateField("Promised payment date")
    next_date = DateField("Next follow-up date")
    next_time = TimeField("Next follow-up time")
    next_channel = SelectField(
        "Next follow-up channel", choices=enum_choices(Channel, "— same channel —")
    )
    next_purpose = SelectField(
        "Next follow-up purpose", choices=enum_choices(Purpose, "— same purpose —")
    )
    next_notes = TextAreaField("Notes for the next follow-up")

    def set_outcomes(self, purpose: str) -> None:
        """Promised to pay and paid are offered on collection follow-ups only."""
        allowed = [
            o
            for o in Outcome
            if purpose == Purpose.COLLECTION or o not in (Outcome.PROMISED_TO_PAY, Outcome.PAID)
        ]
        self.outcome.choices = enum_choices(allowed, "— choose —")


class RescheduleForm(FlaskForm):
    """Move a planned follow-up (field names equal RescheduleSchema's)."""

    version = HiddenField()
    planned_date = DateField("New date", validators=[Marked()])
    planned_time = TimeField("New time (optional)")
    reason = TextAreaField("Reason")


class CancelForm(FlaskForm):
    """Cancel a planned follow-up (field names equal CancelSchema's)."""

    version = HiddenField()
    reason = TextAreaField("Reason", validators=[Marked()])


class MissedForm(FlaskForm):
    """Mark a follow-up missed: a button with CSRF and the version read."""

    version = HiddenField()
