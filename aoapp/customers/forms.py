"""Customer forms: they render fields and carry CSRF; the schemas hold the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField

from aoapp.common.forms import Marked, enum_choices
from aoapp.customers.models import CustomerType, Segment


class CustomerForm(FlaskForm):
    """Create or edit a customer (field names equal CustomerInputSchema's)."""

    cif = StringField(_l("CIF number"), validators=[Marked()])
    name = StringField(_l("Name"), validators=[Marked()])
    customer_type = SelectField(_l("Type"), choices=enum_choices(CustomerType))
    nik = StringField(_l("NIK (16 digits)"))
    npwp = StringField(_l("NPWP (15 or 16 digits)"))
    phone = StringField(_l("Phone"))
    email = StringField(_l("Email"))
    address = TextAreaField(_l("Address"))
    latitude = StringField(_l("Latitude"), render_kw={"inputmode": "decimal"})
    longitude = StringField(_l("Longitude"), render_kw={"inputmode": "decimal"})
    segment = SelectField(
        _l("Segment"), choices=enum_choices(Segment, _l("— choose —")), validators=[Marked()]
    )
    since = DateField(_l("Customer since"))
    allow_duplicate_phone = BooleanField(_l("This is a different person sharing the phone number"))
    version = HiddenField()  # the version the officer opened (optimistic locking)


class ReassignForm(FlaskForm):
    """Pick the officer a customer moves to."""

    officer = SelectField(_l("New officer"), coerce=int, validators=[Marked()])


class HoldingForm(FlaskForm):
    """Record a product the customer already holds."""

    product = SelectField(_l("Product"), validators=[Marked()])
    account_no = StringField(_l("Account number"))
    opened_on = DateField(_l("Opened on"))


class CollectionConsentForm(FlaskForm):
    """The hours the customer agreed to be contacted about arrears (empty: withdraw)."""

    hours = StringField(_l("Agreed hours (local time)"))
