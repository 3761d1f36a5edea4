"""Introduction forms: rendering and CSRF only; the schemas hold the rules."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, TextAreaField

from aoapp.auth.models import Role, User
from aoapp.auth.scoping import visible_to
from aoapp.campaigns.services import visible_campaign_choices
from aoapp.common.forms import Marked, choices, enum_choices
from aoapp.extensions import db
from aoapp.introductions.models import IntroductionOutcome, IntroductionPlace
from aoapp.products.models import Product


class IntroductionForm(FlaskForm):
    """Log or correct one introduction (field names equal IntroductionUpdateSchema's)."""

    product = SelectField(_l("Product"), validators=[Marked()])
    introduced_on = DateField(_l("Date"))
    place = SelectField(
        _l("Place"),
        choices=enum_choices(IntroductionPlace, _l("— choose —")),
        validators=[Marked()],
    )
    explanation = TextAreaField(_l("What was explained"))
    understood = BooleanField(_l("The client confirmed they understood"))
    outcome = SelectField(
        _l("Outcome"),
        choices=enum_choices(IntroductionOutcome, _l("— choose —")),
        validators=[Marked()],
    )
    follow_up_date = DateField(_l("Follow-up date"))
    campaign_id = SelectField(_l("Campaign"), choices=[], validate_choice=False)


class IntroductionFilterForm(FlaskForm):
    """The introductions list's filters (GET, no CSRF); names equal IntroductionFilterSchema's."""

    class Meta:
        csrf = False

    officer = SelectField(_l("Officer"), choices=choices([], _l("Any officer")))
    product = SelectField(_l("Product"), choices=choices([], _l("Any product")))
    outcome = SelectField(
        _l("Outcome"), choices=enum_choices(IntroductionOutcome, _l("Any outcome"))
    )
    campaign = SelectField(_l("Campaign"), choices=choices([], _l("Any campaign")))
    date_from = DateField(_l("Introduced from"), name="from")
    date_to = DateField(_l("Introduced to"), name="to")

    def set_choices(self, actor) -> None:
        """Officers and campaigns the user can see, and every product of the catalogue."""
        officers = db.session.scalars(
            visible_to(actor, sa.select(User).where(User.role == Role.OFFICER)).order_by(
                User.full_name, User.username
            )
        )
        self.officer.choices = choices(
            [(str(u.id), u.display_name) for u in officers], _l("Any officer")
        )
        products = db.session.scalars(sa.select(Product).order_by(Product.code))
        self.product.choices = choices(
            [(p.code, f"{p.code} – {p.name}") for p in products], _l("Any product")
        )
        self.campaign.choices = choices(
            [(str(c.id), c.name) for c in visible_campaign_choices(actor)], _l("Any campaign")
        )
