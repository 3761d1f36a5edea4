"""Plan coverage: of the top customers the user may see, by credit exposure (total outstanding
on the newest loan listing) or by funding (DPK on the newest deposits listing), those without a
current plan or with a review overdue. Supervisors see their branches', officers their own,
admins the bank's."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.auth.scoping import visible_to
from aoapp.common import latest
from aoapp.credit.models import Position
from aoapp.customers.models import Customer, customers_in_scope
from aoapp.extensions import db
from aoapp.funding.figures import deposits_as_of
from aoapp.funding.models import DepositPosition
from aoapp.funding.scope import held
from aoapp.plans.models import AccountPlan

BY = ("exposure", "funding")
SIZES = (10, 20, 50, 100)
DEFAULT_SIZE = 50


@dataclass(frozen=True)
class CoverageRow:
    """A top customer and the state of its plan."""

    rank: int
    customer_id: int
    cif: str
    name: str
    officer: str | None
    amount: Decimal
    plan_id: int | None
    next_review_date: date | None

    @property
    def has_plan(self) -> bool:
        return self.plan_id is not None

    def overdue(self, today: date) -> bool:
        return self.next_review_date is not None and self.next_review_date < today


@dataclass(frozen=True)
class Coverage:
    """The top customers by `by` on the listing of `as_of`, those needing work first."""

    by: str
    size: int
    as_of: date | None
    today: date
    rows: list[CoverageRow]

    @property
    def without_plan(self) -> int:
        return sum(1 for row in self.rows if not row.has_plan)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue(self.today))


def _amounts(actor, by: str) -> tuple[date | None, sa.Select]:
    """(listing date, select of customer_id, amount) of the customers the user may see."""
    mine = customers_in_scope(actor)
    if by == "funding":
        as_of = deposits_as_of()
        stmt = sa.select(
            DepositPosition.customer_id.label("customer_id"),
            sa.func.sum(DepositPosition.balance).label("amount"),
        ).where(DepositPosition.as_of == as_of, held(), DepositPosition.customer_id.in_(mine))
        return as_of, stmt.group_by(DepositPosition.customer_id)
    as_of = latest.newest(latest.LOANS)
    stmt = sa.select(
        Position.customer_id.label("customer_id"),
        sa.func.sum(Position.outstanding).label("amount"),
    ).where(Position.as_of == as_of, Position.customer_id.in_(mine))
    return as_of, stmt.group_by(Position.customer_id)


def plan_coverage(actor, by: str, size: int, today: date) -> Coverage:
    """The `size` top customers by exposure or funding, without a plan or overdue first."""
    as_of, amounts = _amounts(actor, by)
    if as_of is None:
        return Coverage(by, size, None, today, [])
    top = amounts.subquery()
    stmt = (
        visible_to(actor, sa.select(Customer, top.c.amount, User.full_name, User.username))
        .join(top, top.c.customer_id == Customer.id)
        .outerjoin(User, User.id == Customer.officer_id)
        .where(top.c.amount > 0)
        .order_by(top.c.amount.desc(), Customer.id)
        .limit(size)
    )
    found = db.session.execute(stmt).all()
    plans = {
        plan.customer_id: plan
        for plan in db.session.scalars(
            sa.select(AccountPlan).where(
                AccountPlan.year == today.year,
                AccountPlan.customer_id.in_([row[0].id for row in found]),
            )
        )
    }
    rows = []
    for rank, (customer, amount, full_name, username) in enumerate(found, start=1):
        plan = plans.get(customer.id)
        rows.append(
            CoverageRow(
                rank=rank,
                customer_id=customer.id,
                cif=customer.cif,
                name=customer.name,
                officer=full_name or username,
                amount=Decimal(str(amount)).quantize(Decimal("0.01")),
                plan_id=plan.id if plan else None,
                next_review_date=plan.next_review_date if plan else None,
            )
        )
    rows.sort(key=lambda r: (r.has_plan, not r.overdue(today), r.rank))
    return Coverage(by, size, as_of, today, rows)
