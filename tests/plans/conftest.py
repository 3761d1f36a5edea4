"""Account plan fixtures: a customer of ao.budi with a facility, deposit accounts, a giro
product, and a helper to save a plan as its officer."""

from datetime import date
from decimal import Decimal

import pytest

from aoapp.extensions import db
from aoapp.plans import services
from tests.support import credit_visits as credit
from tests.support import funding
from tests.support.factories import make_customer

TODAY = date(2026, 5, 4)  # a Monday; the plan year 2026
M = Decimal(1_000_000)


class Bank:
    """One customer's listings, built by hand."""

    def __init__(self, world):
        self.world = world
        self.customer = make_customer(world.officer, name="Toko Maju")
        self.facility = credit.facility(self.customer)
        self.tabungan = funding.deposit(self.customer, "T0001", "TAB")
        self.giro_product = funding.deposit_product("GIRO")
        db.session.commit()

    def loan(self, as_of: date, millions, dpd: int = 0, facility=None):
        """A position of the customer's facility on `as_of`."""
        credit.position(
            facility or self.facility, as_of, dpd, outstanding=str(Decimal(str(millions)) * M)
        )

    def funds(self, as_of: date, *entries):
        """A deposits listing: (account, millions) pairs."""
        funding.post_deposits(as_of, entries)

    def save(self, goals=(), actor=None, today=TODAY, **values):
        """Save the customer's plan as its officer with these goals."""
        data = {
            "needs": "Modal kerja untuk stok Lebaran",
            "need_tags": ["working_capital"],
            "risks": "",
            "next_step": "Kunjungi toko",
            "review_months": 3,
            "next_review_date": None,
            "products": [],
            "goals": [_goal(**g) for g in goals],
            "version": None,
        } | values
        actor = actor or db.session.merge(self.world.officer)
        return services.save_plan(actor, self.customer.id, data, today=today)


def _goal(**values) -> dict:
    base = {
        "kind": "action",
        "amount": None,
        "dpd": None,
        "category": None,
        "product_code": None,
        "text": "",
        "due_date": None,
        "done": False,
    }
    return base | values


@pytest.fixture
def bank(world):
    return Bank(world)
