"""Product forms: rendering and CSRF only; the schemas hold the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from aoapp.common.forms import Marked, enum_choices
from aoapp.products.models import CreditSubtype, DepositType, ProductKind


class ProductForm(FlaskForm):
    """Create or edit a catalogue product (field names equal ProductInputSchema's)."""

    code = StringField(_l("Code"), validators=[Marked()])
    name = StringField(_l("Name"), validators=[Marked()])
    kind = SelectField(
        _l("Kind"), choices=enum_choices(ProductKind, _l("— choose —")), validators=[Marked()]
    )
    credit_subtype = SelectField(
        _l("Credit subtype"), choices=enum_choices(CreditSubtype, _l("— none (not a credit) —"))
    )
    deposit_type = SelectField(
        _l("Deposit type"), choices=enum_choices(DepositType, _l("— none (not a deposit) —"))
    )
    active = BooleanField(_l("Active (offered to clients)"), default=True)
    description = TextAreaField(_l("Short description"))
