"""Campaign forms: rendering and CSRF only; field names equal CampaignInputSchema's."""

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField

from aoapp.campaigns import services
from aoapp.campaigns.models import Campaign, CampaignChannel
from aoapp.common.forms import choices, enum_choices
from aoapp.customers.forms import Marked
from aoapp.extensions import db
from aoapp.products.models import Product


class CampaignForm(FlaskForm):
    """Create or edit a campaign."""

    name = StringField("Name", validators=[Marked()])
    channel = SelectField(
        "Channel", choices=enum_choices(CampaignChannel, "— choose —"), validators=[Marked()]
    )
    starts_on = DateField("Starts on", validators=[Marked()])
    ends_on = DateField("Ends on", validators=[Marked()])
    branches = SelectMultipleField(
        "Branches", choices=[], validate_choice=False, validators=[Marked()]
    )
    products = SelectMultipleField("Products promoted", choices=[], validate_choice=False)
    cost = StringField("Cost (Rp, optional)")
    description = TextAreaField("Description")

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
                "cost": "" if campaign.cost is None else f"{campaign.cost:f}",
                "description": campaign.description,
            }
        )


class CampaignFilterForm(FlaskForm):
    """The list's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField("Name or description")
    channel = SelectField("Channel", choices=enum_choices(CampaignChannel, "Any channel"))
    branch = SelectField("Branch", choices=choices([], "Any branch"))
    status = SelectField(
        "Status",
        choices=choices([(s, s.title()) for s in ("upcoming", "running", "ended")], "Any status"),
    )
    active_on = DateField("Running on")

    def set_choices(self, actor) -> None:
        """The branches the user sees campaigns of."""
        self.branch.choices = choices(
            [(str(b.id), f"{b.code} · {b.name}") for b in services.visible_branches(actor)],
            "Any branch",
        )
