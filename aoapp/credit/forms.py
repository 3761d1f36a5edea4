"""Monitoring-visit and Kol-upgrade forms: rendering and CSRF only; the schemas hold the rules."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField

from aoapp.common.forms import enum_choices
from aoapp.credit.models import RiskRating
from aoapp.customers.forms import Marked


class VisitForm(FlaskForm):
    """Record or correct a monitoring visit (field names equal VisitUpdateSchema's)."""

    facility = SelectField("Facility visited")
    visit_date = DateField("Visit date", validators=[Marked()])
    business_condition = TextAreaField("Business condition")
    collateral_condition = TextAreaField("Collateral condition")
    collateral_value = StringField("Estimated collateral value (Rp)")
    findings = TextAreaField("Findings")
    risk_rating = SelectField(
        "Risk rating", choices=enum_choices(RiskRating, "— choose —"), validators=[Marked()]
    )
    recommendations = TextAreaField("Recommendations")
    next_visit_date = DateField("Next visit date")


class UpgradeForm(FlaskForm):
    """Upgrade a restructured facility's Kol (field names equal UpgradeSchema's)."""

    to_kol = SelectField("Upgrade to", validators=[Marked()])
    justification = TextAreaField("Justification", validators=[Marked()])
