"""Campaign forms: rendering and CSRF only; field names equal CampaignInputSchema's."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField

from aoapp.campaigns import services
from aoapp.campaigns.models import Campaign, CampaignChannel
from aoapp.common.forms import Marked, MoneyField, choices, enum_choices
from aoapp.extensions import db
from aoapp.products.models import Product


class CampaignForm(FlaskForm):
    """Create or edit a campaign."""

    name = StringField(_l("Name"), validators=[Marked()])
    channel = SelectField(
        _l("Channel"),
        choices=enum_choices(CampaignChannel, _l("— choose —")),
        validators=[Marked()],
    )
    starts_on = DateField(_l("Starts on"), validators=[Marked()])
    ends_on = DateField(_l("Ends on"), validators=[Marked()])
    branches = SelectMultipleField(
        _l("Branches"), choices=[], validate_choice=False, validators=[Marked()]
    )
    products = SelectMultipleField(_l("Products promoted"), choices=[], validate_choice=False)
    cost = MoneyField(_l("Cost (Rp, optional)"))
    description = TextAreaField(_l("Description"))

    def set_choices(self, actor, campaign: Campaign | None = None) -> None:
        """The branches the user may use, and the active products (plus those already linked)."""
        self.branches.choices = choices(
            [(str(b.id), f"{b.code} · {b.name}") for b in services.usable_branches(actor)]
        )
        products = list(
            db.session.scalars(sa.select(Product).where(Product.active).order_by(Product.code))
        )
        for product in campaign.products if campaign else []:
            if product not in products:
                products.append(product)
        self.products.choices = choices([(str(p.id), f"{p.code} – {p.name}") for p in products])

    @classmethod
    def for_campaign(cls, campaign: Campaign) -> "CampaignForm":
        """The edit form filled with the campaign's current values."""
        return cls(
            data={
                "name": campaign.name,
                "channel": campaign.channel,
                "starts_on": campaign.starts_on,
                "ends_on": campaign.ends_on,
                "branches": [str(b.id) for b in campaign.branches],
                "products": [str(p.id) for p in campaign.products],
                "cost": campaign.cost,
                "description": campaign.description,
            }
        )


class CampaignFilterForm(FlaskForm):
    """The list's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or description"))
    channel = SelectField(_l("Channel"), choices=enum_choices(CampaignChannel, _l("Any channel")))
    branch = SelectField(_l("Branch"), choices=choices([], _l("Any branch")))
    status = SelectField(
        _l("Status"),
        choices=choices(
            [("upcoming", _l("Upcoming")), ("running", _l("Running")), ("ended", _l("Ended"))],
            _l("Any status"),
        ),
    )
    active_on = DateField(_l("Running on"))

    def set_choices(self, actor) -> None:
        """The branches the user sees campaigns of."""
        self.branch.choices = choices(
            [(str(b.id), f"{b.code} · {b.name}") for b in services.visible_branches(actor)],
            _l("Any branch"),
        )
