"""Monitoring-visit and Kol-upgrade forms: rendering and CSRF only; the schemas hold the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, MultipleFileField, SelectField, StringField, TextAreaField

from aoapp.common.forms import Marked, MoneyField, choices, enum_choices
from aoapp.credit.models import RiskRating


def facility_choices(facilities, blank) -> list:
    """A customer's facilities to pick from ("account · product", closed ones marked), led by
    `blank`: the choice of no facility in particular (its text in the reader's language)."""
    closed = _l("(closed)")
    pairs = [
        (
            str(f.id),
            f"{f.account_no} · {f.product.code}" + ("" if f.status == "active" else f" {closed}"),
        )
        for f in facilities
    ]
    return choices(pairs, blank)


class VisitForm(FlaskForm):
    """Record or correct a monitoring visit (field names equal VisitUpdateSchema's)."""

    facility = SelectField(_l("Facility visited"))
    visit_date = DateField(_l("Visit date"), validators=[Marked()])
    met_with = StringField(
        _l("Who was met"), render_kw={"placeholder": _l("e.g. Mr Darsono (owner), the wife")}
    )
    business_condition = TextAreaField(_l("Business condition"))
    collateral_condition = TextAreaField(_l("Collateral condition"))
    collateral_value = MoneyField(_l("Estimated collateral value (Rp)"))
    findings = TextAreaField(_l("Findings"))
    risk_rating = SelectField(
        _l("Risk rating"), choices=enum_choices(RiskRating, _l("— choose —")), validators=[Marked()]
    )
    recommendations = TextAreaField(_l("Recommendations"))
    next_visit_date = DateField(_l("Next visit date"))
    photos = MultipleFileField(_l("Photos"))  # with the location: credit/_visit_evidence.html


class UpgradeForm(FlaskForm):
    """Upgrade a restructured facility's Kol (field names equal UpgradeSchema's)."""

    to_kol = SelectField(_l("Upgrade to"), validators=[Marked()])
    justification = TextAreaField(_l("Justification"), validators=[Marked()])
