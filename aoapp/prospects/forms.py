"""Prospect forms: they render fields and carry CSRF; the rules live in schemas.py and services.py.

Field names equal the schema field names, so load_form() can copy errors onto them.
"""

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from aoapp.auth.models import Role, User
from aoapp.auth.scoping import visible_to
from aoapp.campaigns.services import visible_campaign_choices
from aoapp.campaigns.tags import campaign_label, taggable_campaigns
from aoapp.common.forms import MoneyField, choices, enum_choices
from aoapp.common.identity import display_phone
from aoapp.common.templating import label
from aoapp.customers.models import Customer, CustomerType, Segment
from aoapp.extensions import db
from aoapp.products.models import Product
from aoapp.prospects.models import LostReason, Prospect, ProspectSource, ProspectStatus
from aoapp.prospects.schemas import FOLLOW_UP_DUE
from aoapp.prospects.services import allowed_transitions

NONE = "—"


class ProspectForm(FlaskForm):
    """Collect or edit a prospect."""

    name = StringField(_l("Name"), validators=[InputRequired()])
    phone = StringField(_l("Phone"), validators=[InputRequired()])
    email = StringField(_l("Email"))
    nik = StringField(_l("NIK"))
    address = TextAreaField(_l("Address"))
    area = StringField(_l("Area"))
    business_type = StringField(_l("Business type"))
    estimated_credit_need = MoneyField(_l("Estimated credit need (Rp)"))
    product_interest = SelectField(_l("Product interest"), choices=choices([], NONE))
    source = SelectField(
        _l("Source"),
        choices=enum_choices(ProspectSource, _l("Choose…")),
        validators=[InputRequired()],
    )
    referrer_customer = SelectField(
        _l("Referred by one of your customers"), choices=choices([], NONE)
    )
    referrer_name = StringField(_l("…or referrer name"))
    campaign_id = SelectField(_l("Campaign"), choices=choices([], NONE))
    next_follow_up_date = DateField(_l("Next follow-up"))
    notes = TextAreaField(_l("Notes"))
    allow_duplicate_phone = BooleanField(
        _l("This is a different person: save with the shared phone")
    )
    version = HiddenField()  # the version the officer opened (optimistic locking)

    def set_choices(self, actor, prospect: Prospect | None = None) -> None:
        """Active products by code, the user's own customers as possible referrers, and the
        campaigns of the owner's branch."""
        products = db.session.scalars(
            sa.select(Product).where(Product.active).order_by(Product.code)
        ).all()
        if prospect is not None and prospect.product_interest not in (None, *products):
            products.append(prospect.product_interest)  # keep a since-deactivated product
        self.product_interest.choices = choices(
            [(p.code, f"{p.code} – {p.name}") for p in products], NONE
        )
        customers = db.session.scalars(
            visible_to(actor, sa.select(Customer)).order_by(Customer.name, Customer.id)
        ).all()
        if prospect is not None and prospect.referrer_customer not in (None, *customers):
            customers.append(prospect.referrer_customer)
        self.referrer_customer.choices = choices(
            [(str(c.id), f"{c.name} ({c.cif})") for c in customers], NONE
        )
        owner = prospect.owner if prospect is not None else actor
        campaigns = taggable_campaigns(owner.branch_id, prospect.campaign if prospect else None)
        self.campaign_id.choices = choices(
            [(str(c.id), campaign_label(c)) for c in campaigns], NONE
        )

    @classmethod
    def for_prospect(cls, prospect: Prospect) -> "ProspectForm":
        """The edit form filled with the prospect's current values."""
        return cls(
            data={
                "name": prospect.name,
                "phone": display_phone(prospect.phone),
                "email": prospect.email or "",
                "nik": prospect.nik or "",
                "address": prospect.address,
                "area": prospect.area,
                "business_type": prospect.business_type,
                "estimated_credit_need": prospect.estimated_credit_need,
                "product_interest": prospect.product_interest.code
                if prospect.product_interest
                else "",
                "source": prospect.source,
                "referrer_customer": str(prospect.referrer_customer_id or ""),
                "referrer_name": prospect.referrer_name or "",
                "campaign_id": str(prospect.campaign_id or ""),
                "next_follow_up_date": prospect.next_follow_up_date,
                "notes": prospect.notes,
                "version": prospect.version,
            }
        )


class StatusForm(FlaskForm):
    """Move a prospect along the pipeline."""

    status = SelectField(_l("New status"), choices=[], validators=[InputRequired()])
    lost_reason = SelectField(
        _l("Reason (when rejected or lost)"), choices=enum_choices(LostReason, "—")
    )
    lost_note = TextAreaField(_l("Note"))

    def set_choices(self, prospect: Prospect) -> None:
        """The statuses the prospect may move to now."""
        self.status.choices = choices([(s, label(s)) for s in allowed_transitions(prospect.status)])


class ConvertForm(FlaskForm):
    """Convert a prospect into a customer with the CIF given by core banking."""

    cif = StringField(_l("CIF number"), validators=[InputRequired()])
    customer_type = SelectField(_l("Customer type"), choices=enum_choices(CustomerType))
    segment = SelectField(
        _l("Segment"), choices=enum_choices(Segment, _l("Choose…")), validators=[InputRequired()]
    )
    npwp = StringField(_l("NPWP (required for a company)"))


class FilterForm(FlaskForm):
    """The list's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or phone"))
    status = SelectField(_l("Status"), choices=enum_choices(ProspectStatus, _l("Any status")))
    source = SelectField(_l("Source"), choices=enum_choices(ProspectSource, _l("Any source")))
    owner = SelectField(_l("Officer"), choices=choices([], _l("Any officer")))
    campaign = SelectField(_l("Campaign"), choices=choices([], _l("Any campaign")))
    created_from = DateField(_l("Collected from"))
    created_to = DateField(_l("Collected to"))
    follow_up = SelectField(
        _l("Follow-up due"),
        choices=choices([(due, LazyString(label, due)) for due in FOLLOW_UP_DUE], _l("Any time")),
    )
    sort = StringField()

    def set_choices(self, actor) -> None:
        """Officers the user can see (only supervisors and admins filter by officer), and the
        campaigns the user can see."""
        officers = db.session.scalars(
            visible_to(actor, sa.select(User).where(User.role == Role.OFFICER)).order_by(
                User.full_name, User.username
            )
        )
        self.owner.choices = choices(
            [
                (str(u.id), f"{u.display_name} ({u.branch.code if u.branch else '-'})")
                for u in officers
            ],
            _l("Any officer"),
        )
        self.campaign.choices = choices(
            [(str(c.id), c.name) for c in visible_campaign_choices(actor)], _l("Any campaign")
        )
