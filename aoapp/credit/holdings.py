"""What credit tells the customer page first: the facilities a customer holds by the loan listing
(`customers.holdings.listing_source`) and whether it is in arrears."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.common import latest
from aoapp.credit.models import Facility, FacilityStatus, Position
from aoapp.customers.holdings import LOAN_LISTING, Holding, listing_source
from aoapp.extensions import db
from aoapp.products.models import Product, ProductKind


def _facilities(customer_ids: list[int]) -> sa.Select:
    """The customers' active facilities with their products."""
    return (
        sa.select(Facility, Product)
        .join(Product, Product.id == Facility.product_id)
        .where(Facility.customer_id.in_(customer_ids), Facility.status == FacilityStatus.ACTIVE)
    )


def _positions_now(customer_ids: list[int]) -> list[tuple]:
    """The customers' active facilities with their latest positions (none before the first).

    Read first on the newest loan listing, by its date's value (one month partition to plan:
    common/latest.py), where an active facility's latest position is; only the facilities not
    on it are looked up on their own newest date (every partition)."""
    newest = latest.newest(latest.LOANS)
    on_newest = sa.and_(Position.facility_id == Facility.id, Position.as_of == newest)
    rows = db.session.execute(
        _facilities(customer_ids)
        .add_columns(Position.outstanding, Position.as_of)
        .outerjoin(Position, on_newest if newest is not None else sa.false())
        .order_by(Facility.account_no)
    ).all()
    missing = [facility.id for facility, _p, _o, as_of in rows if as_of is None]
    if not missing:
        return rows
    last = (
        sa.select(Position.facility_id, sa.func.max(Position.as_of).label("as_of"))
        .where(Position.facility_id.in_(missing))
        .group_by(Position.facility_id)
        .subquery()
    )
    older = {
        row[0].id: row
        for row in db.session.execute(
            _facilities(customer_ids)
            .where(Facility.id.in_(missing))
            .add_columns(Position.outstanding, Position.as_of)
            .outerjoin(last, last.c.facility_id == Facility.id)
            .outerjoin(
                Position,
                sa.and_(Position.facility_id == Facility.id, Position.as_of == last.c.as_of),
            )
        )
    }
    return [older.get(row[0].id, row) for row in rows]  # in the account numbers' order


def _positions_on(customer_ids: list[int], on: date) -> sa.Select:
    """The customers' facilities on the loan listing of `on`, with their positions then."""
    return (
        sa.select(Facility, Product, Position.outstanding, Position.as_of)
        .join(Facility, Facility.id == Position.facility_id)
        .join(Product, Product.id == Facility.product_id)
        .where(Position.customer_id.in_(customer_ids), latest.on_listing(Position.as_of, on))
    )


@listing_source(covers=ProductKind.CREDIT)
def facility_holdings(customer_ids: list[int], on: date | None) -> dict[int, list[Holding]]:
    """The customers' facilities the loan listing shows: active now (`on` None), or listed on the
    listing dated `on` or last before it; each with its outstanding then."""
    if on is None:
        rows = _positions_now(customer_ids)
    else:
        rows = db.session.execute(_positions_on(customer_ids, on).order_by(Facility.account_no))
    held: dict[int, list[Holding]] = {}
    for facility, product, outstanding, as_of in rows:
        held.setdefault(facility.customer_id, []).append(
            Holding(
                product,
                LOAN_LISTING,
                facility.account_no,
                outstanding,
                as_of,
                opened_on=facility.start_date,
            )
        )
    return held


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
