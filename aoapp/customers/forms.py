"""Customer forms: they render fields and carry CSRF; the schemas hold the rules."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField

from aoapp.common.forms import choices, enum_choices  # noqa: F401  (re-exported)
from aoapp.customers.models import CustomerType, Segment


class Marked:
    """Marks a field as required on screen (an asterisk); the schema enforces it."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class CustomerForm(FlaskForm):
    """Create or edit a customer (field names equal CustomerInputSchema's)."""

    cif = StringField("CIF number", validators=[Marked()])
    name = StringField("Name", validators=[Marked()])
    customer_type = SelectField("Type", choices=enum_choices(CustomerType))
    nik = StringField("NIK (16 digits)")
    npwp = StringField("NPWP (15 or 16 digits)")
    phone = StringField("Phone")
    email = StringField("Email")
    address = TextAreaField("Address")
    segment = SelectField(
        "Segment", choices=enum_choices(Segment, "— choose —"), validators=[Marked()]
    )
    since = DateField("Customer since")
    allow_duplicate_phone = BooleanField("This is a different person sharing the phone number")
    version = HiddenField()  # the version the officer opened (optimistic locking)


class ReassignForm(FlaskForm):
    """Pick the officer a customer moves to."""

    officer = SelectField("New officer", coerce=int, validators=[Marked()])


class HoldingForm(FlaskForm):
    """Record a product the customer already holds."""

    product = SelectField("Product", validators=[Marked()])
    account_no = StringField("Account number")
    opened_on = DateField("Opened on")
