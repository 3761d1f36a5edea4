"""Product and introduction forms: rendering and CSRF only; the schemas hold the rules."""

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField

from aoapp.auth.models import Role, User
from aoapp.auth.scoping import visible_to
from aoapp.campaigns.services import visible_campaign_choices
from aoapp.customers.forms import Marked, choices, enum_choices
from aoapp.extensions import db
from aoapp.products.models import (
    CreditSubtype,
    IntroductionOutcome,
    IntroductionPlace,
    Product,
    ProductKind,
)


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
    campaign_id = SelectField("Campaign", choices=[], validate_choice=False)


class IntroductionFilterForm(FlaskForm):
    """The introductions list's filters (GET, no CSRF); names equal IntroductionFilterSchema's."""

    class Meta:
        csrf = False

    officer = SelectField("Officer", choices=choices([], "Any officer"))
    product = SelectField("Product", choices=choices([], "Any product"))
    outcome = SelectField("Outcome", choices=enum_choices(IntroductionOutcome, "Any outcome"))
    campaign = SelectField("Campaign", choices=choices([], "Any campaign"))
    date_from = DateField("Introduced from", name="from")
    date_to = DateField("Introduced to", name="to")

    def set_choices(self, actor) -> None:
        """Officers and campaigns the user can see, and every product of the catalogue."""
        officers = db.session.scalars(
            visible_to(actor, sa.select(User).where(User.role == Role.OFFICER)).order_by(
                User.full_name, User.username
            )
        )
        self.officer.choices = choices(
            [(str(u.id), u.display_name) for u in officers], "Any officer"
        )
        products = db.session.scalars(sa.select(Product).order_by(Product.code))
        self.product.choices = choices(
            [(p.code, f"{p.code} – {p.name}") for p in products], "Any product"
        )
        self.campaign.choices = choices(
            [(str(c.id), c.name) for c in visible_campaign_choices(actor)], "Any campaign"
        )
