"""Renewal forms: rendering and CSRF only; the schemas (renewals/schemas.py) hold the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, TextAreaField

from aoapp.common.forms import Marked, MoneyField, choices, enum_choices
from aoapp.common.templating import label
from aoapp.renewals.models import OPEN_STAGES, OUTCOMES_OF, Kind, LostReason


class StageForm(FlaskForm):
    """Move the opportunity to another open stage."""

    version = HiddenField()
    stage = SelectField(
        _l("Stage"),
        choices=enum_choices(OPEN_STAGES),
        validators=[Marked()],
    )


class OutcomeForm(FlaskForm):
    """Record (or confirm, or correct) the outcome."""

    version = HiddenField()
    outcome = SelectField(_l("Outcome"), validators=[Marked()])
    new_plafond = MoneyField(_l("New plafond (Rp)"))
    lost_reason = SelectField(
        _l("Why the customer left"), choices=enum_choices(LostReason, _l("— choose —"))
    )
    lost_note = TextAreaField(_l("Note on the reason"))
    outcome_date = DateField(_l("Outcome date"))

    def for_kind(self, kind: str) -> "OutcomeForm":
        """Offer the outcomes of a loan or of a deposit."""
        self.outcome.choices = choices(
            [(o.value, label(o.value)) for o in OUTCOMES_OF[Kind(kind)]], _l("— choose —")
        )
        return self


class TopupForm(FlaskForm):
    """A supervisor's top-up exception (the value travels as a hidden input)."""

    version = HiddenField()
    topup_allowed = HiddenField()
