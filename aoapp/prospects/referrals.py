"""Referrals made by a customer: the customer page's referrals section (customers.hooks)."""

from dataclasses import dataclass

import sqlalchemy as sa

from aoapp.auth.scoping import visible_to
from aoapp.customers.hooks import customer_section
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.prospects.models import Prospect, ProspectStatus


@dataclass
class CustomerReferrals:
    """How many prospects the customer referred, how many converted, and those the user sees."""

    made: int
    converted: int
    prospects: list[Prospect]


def referral_counts(customer: Customer) -> tuple[int, int]:
    """(prospects this customer referred, how many of them converted into customers)."""
    made, converted = db.session.execute(
        sa.select(
            sa.func.count(Prospect.id),
            sa.func.count(Prospect.id).filter(Prospect.status == ProspectStatus.WON),
        ).where(Prospect.referrer_customer_id == customer.id)
    ).one()
    return made, converted


def referred_prospects(actor, customer: Customer) -> list[Prospect]:
    """The referred prospects the user may open (the counts include all of them)."""
    stmt = sa.select(Prospect).where(Prospect.referrer_customer_id == customer.id)
    return list(db.session.scalars(visible_to(actor, stmt).order_by(Prospect.created_at.desc())))


@customer_section("referrals")
def customer_referrals(actor, customer: Customer) -> CustomerReferrals:
    """The referrals section of a customer page the actor already may see."""
    made, converted = referral_counts(customer)
    return CustomerReferrals(made, converted, referred_prospects(actor, customer))
