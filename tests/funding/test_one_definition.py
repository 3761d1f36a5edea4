"""The customer page's holdings (customers.holdings) and the figures' set-based holdings
(funding.held) are one rule written twice, per customer and set-based: they must agree."""

import sqlalchemy as sa

from aoapp.customers.holdings import holdings_of
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding.held import holdings, listings_on, of_customers
from tests.support.funding import NOV30, OCT31, hand_book


def test_the_same_holdings_customer_by_customer(world):
    hand_book(world)
    ids = db.session.scalars(sa.select(Customer.id)).all()
    assert ids
    for day in (OCT31, NOV30):
        held = holdings(listings_on(day), of_customers(sa.select(Customer.id)), detail=True)
        rows = db.session.execute(
            sa.select(held.c.customer_id, held.c.source, held.c.product, held.c.account_no)
        ).all()
        set_based = {(r.customer_id, r.source, r.product, r.account_no or None) for r in rows}
        per_customer = {
            (customer_id, h.source, h.product.code, h.account_no or None)
            for customer_id, found in holdings_of(ids, on=day).items()
            for h in found
        }
        assert set_based == per_customer, day
