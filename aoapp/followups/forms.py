"""Follow-up forms: rendering and CSRF only; followups/schemas.py holds the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, MultipleFileField, SelectField, TextAreaField, TimeField

from aoapp.common.forms import Marked, MoneyField, enum_choices
from aoapp.followups.models import Channel, Outcome, Purpose


class PlanForm(FlaskForm):
    """Plan a follow-up (field names equal PlanSchema's; `party` only when none is given)."""

    party = SelectField(_l("Customer or prospect"), validators=[Marked()])
    facility = SelectField(_l("Facility"))
    channel = SelectField(
        _l("Channel"), choices=enum_choices(Channel, _l("— choose —")), validators=[Marked()]
    )
    purpose = SelectField(
        _l("Purpose"), choices=enum_choices(Purpose, _l("— choose —")), validators=[Marked()]
    )
    planned_date = DateField(_l("Planned date"), validators=[Marked()])
    planned_time = TimeField(_l("Time (optional)"))
    notes = TextAreaField(_l("Notes"))


class CompleteForm(FlaskForm):
    """Log the outcome, a promise to pay and the next follow-up (names equal CompleteSchema's)."""

    version = HiddenField()
    outcome = SelectField(_l("Outcome"), validators=[Marked()])
    notes = TextAreaField(_l("Notes"))
    promised_amount = MoneyField(_l("Promised amount (Rp)"))
    promised_date = DateField(_l("Promised payment date"))
    next_date = DateField(_l("Next follow-up date"))
    next_time = TimeField(_l("Next follow-up time"))
    next_channel = SelectField(
        _l("Next follow-up channel"), choices=enum_choices(Channel, _l("— same channel —"))
    )
    next_purpose = SelectField(
        _l("Next follow-up purpose"), choices=enum_choices(Purpose, _l("— same purpose —"))
    )
    next_notes = TextAreaField(_l("Notes for the next follow-up"))
    # Sent as "y" by the checkbox the page shows when a promise exceeds the arrears.
    confirm_amount = HiddenField()
    photos = MultipleFileField(_l("Photos"))  # a visit's (credit/_visit_evidence.html)

    def set_outcomes(self, purpose: str) -> None:
        """Promised to pay and paid are offered on collection follow-ups only."""
        allowed = [
            o
            for o in Outcome
            if purpose == Purpose.COLLECTION or o not in (Outcome.PROMISED_TO_PAY, Outcome.PAID)
        ]
        self.outcome.choices = enum_choices(allowed, _l("— choose —"))


class RescheduleForm(FlaskForm):
    """Move a planned follow-up (field names equal RescheduleSchema's)."""

    version = HiddenField()
    planned_date = DateField(_l("New date"), validators=[Marked()])
    planned_time = TimeField(_l("New time (optional)"))
    reason = TextAreaField(_l("Reason"))


class CancelForm(FlaskForm):
    """Cancel a planned follow-up (field names equal CancelSchema's)."""

    version = HiddenField()
    reason = TextAreaField(_l("Reason"), validators=[Marked()])


class MissedForm(FlaskForm):
    """Mark a follow-up missed: a button with CSRF and the version read."""

    version = HiddenField()
