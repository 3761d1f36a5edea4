"""What credit tells the customer page first: the products a customer holds by the loan listing
(its active facilities, `customers.hooks.held_from_listing`) and whether it is in arrears."""

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from aoapp.credit.models import Facility, FacilityStatus, Position
from aoapp.customers.hooks import LISTING, HeldProduct, held_from_listing
from aoapp.extensions import db


@held_from_listing
def listed_products(customer) -> list[HeldProduct]:
    """The products of the customer's active facilities (the latest loan listing's)."""
    stmt = (
        sa.select(Facility)
        .options(joinedload(Facility.product))
        .where(Facility.customer_id == customer.id, Facility.status == FacilityStatus.ACTIVE)
        .order_by(Facility.account_no)
    )
    return [
        HeldProduct(f.product, LISTING, f.account_no, f.start_date)
        for f in db.session.scalars(stmt)
    ]


@dataclass
class Arrears:
    """The customer's active facilities on their latest positions: in arrears when any has
    DPD > 0 or a debtor Kol of 2 or worse."""

    positions: list[Position]

    @property
    def in_arrears(self) -> bool:
        return any(p.dpd > 0 or p.debtor_kol >= 2 for p in self.positions)

    @property
    def amount(self) -> Decimal:
        """Principal and interest in arrears, over the active facilities."""
        return sum((p.arrears_principal + p.arrears_interest for p in self.positions), Decimal(0))

    @property
    def dpd(self) -> int:
        """The worst days past due."""
        return max((p.dpd for p in self.positions), default=0)

    @property
    def kol(self) -> int | None:
        """The debtor's Kol (one-obligor: the worst)."""
        return max((p.debtor_kol for p in self.positions), default=None)

    @property
    def worst(self) -> Position | None:
        """The position of the facility with the worst DPD (the one to collect first)."""
        return max(self.positions, key=lambda p: (p.dpd, p.debtor_kol), default=None)


def arrears_of(rows) -> Arrears:
    """The arrears standing of a customer from its active facility rows (credit.services)."""
    return Arrears([r.position for r in rows if r.position is not None])
