"""Product and introduction forms: rendering and CSRF only; the schemas hold the rules."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField

from aoapp.customers.forms import Marked, enum_choices
from aoapp.products.models import CreditSubtype, IntroductionOutcome, IntroductionPlace, ProductKind


class ProductForm(FlaskForm):
    """Create or edit a catalogue product (field names equal ProductInputSchema's)."""

    code = StringField("Code", validators=[Marked()])
    name = StringField("Name", validators=[Marked()])
    kind = SelectField(
        "Kind", choices=enum_choices(ProductKind, "— choose —"), validators=[Marked()]
    )
    credit_subtype = SelectField(
        "Credit subtype", choices=enum_choices(CreditSubtype, "— none (not a credit) —")
    )
    active = BooleanField("Active (offered to clients)", default=True)
    description = TextAreaField("Short description")


class IntroductionForm(FlaskForm):
    """Log or correct one introduction (field names equal IntroductionUpdateSchema's)."""

    product = SelectField("Product", validators=[Marked()])
    introduced_on = DateField("Date")
    place = SelectField(
        "Place", choices=enum_choices(IntroductionPlace, "— choose —"), validators=[Marked()]
    )
    explanation = TextAreaField("What was explained")
    understood = BooleanField("The client confirmed they understood")
    outcome = SelectField(
        "Outcome", choices=enum_choices(IntroductionOutcome, "— choose —"), validators=[Marked()]
    )
    follow_up_date = DateField("Follow-up date")
