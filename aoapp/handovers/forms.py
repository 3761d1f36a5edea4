"""Handover forms: rendering and CSRF only; the schemas (handovers/schemas.py) hold the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from aoapp.common.forms import Marked, choices


def officer_label(user, with_branch: bool = False) -> str:
    """`Budi (AO0001, JKT01)`, and `(inactive)` for an officer who has left."""
    facts = [user.officer_code or "—"]
    if with_branch and user.branch is not None:
        facts.append(user.branch.code)
    text = f"{user.display_name} ({', '.join(facts)})"
    return text if user.active else f"{text} {_l('(inactive)')}"


class PickOfficerForm(FlaskForm):
    """Whose customers to hand over (a GET form: the list of their customers, searched)."""

    class Meta:
        csrf = False

    from_officer = SelectField(_l("Hand over the customers of"), validators=[Marked()])
    q = StringField(_l("Search by name or CIF"))

    def offer(self, officers) -> "PickOfficerForm":
        self.from_officer.choices = choices(
            [(str(u.id), officer_label(u, True)) for u in officers], _l("— choose —")
        )
        return self


class HandoverForm(FlaskForm):
    """To whom, which customers, and why."""

    from_officer = HiddenField()
    to_officer = SelectField(_l("Hand over to"), validators=[Marked()])
    scope = RadioField(
        _l("Customers"),
        choices=[
            SelectChoice("all", _l("All their customers")),
            SelectChoice("selected", _l("Only the customers ticked")),
        ],
        default="all",
    )
    customers = SelectMultipleField(_l("Customers ticked"), choices=[], validate_choice=False)
    note = TextAreaField(_l("Note (why: leaving, moving branch, rebalancing)"))

    def offer(self, officers) -> "HandoverForm":
        self.to_officer.choices = choices(
            [(str(u.id), officer_label(u, True)) for u in officers], _l("— choose —")
        )
        return self


class DecisionForm(FlaskForm):
    """The admin's decision on customers a listing contradicts (buttons name the decision)."""

    import_id = HiddenField()
