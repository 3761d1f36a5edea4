"""What becomes a renewal opportunity (the rules: renewals/pipeline.py), one statement per kind.

Maturing facilities and depositos: one INSERT … SELECT each, of the candidates that are no
opportunity yet, picked before their owner is joined to them. Yearly extensions of working-capital
lines: their anniversary date is worked out here, then one multi-row INSERT. Every INSERT skips a
row whose key (facility or account, maturity) a concurrent run took (ON CONFLICT DO NOTHING).
"""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from aoapp.auth.models import User
from aoapp.credit.models import Facility, FacilityStatus
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding.models import DepositAccount, DepositStatus
from aoapp.products.models import CreditSubtype, DepositType, Product
from aoapp.renewals.models import Basis, Kind, RenewalOpportunity, Stage

table = RenewalOpportunity.__table__
OPEN_DEPOSITS = (DepositStatus.ACTIVE.value, DepositStatus.DORMANT.value)


def _insert():
    """An INSERT that skips rows whose key is taken (a concurrent run's): both databases."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def _owner(stmt: sa.Select) -> sa.Select:
    """Join the customer and its current active officer (customers without one drop out)."""
    return stmt.join(Customer, Customer.id == Facility.customer_id).join(
        User, sa.and_(User.id == Customer.officer_id, User.active == sa.true())
    )


def _common(now) -> dict:
    return {
        "stage": sa.literal(Stage.TO_CONTACT.value),
        "confirmed": sa.false(),
        "lost_note": sa.literal(""),
        "topup_allowed": sa.false(),
        "version": sa.literal(1),
        "created_at": sa.literal(now, table.c.created_at.type),
        "updated_at": sa.literal(now, table.c.updated_at.type),
    }


def _fresh(*columns, where) -> sa.CTE:
    """The candidates that are no opportunity yet, picked before anything is joined to them
    (MATERIALIZED): after the first listing nearly every candidate already is one."""
    return sa.select(*columns).where(*where).cte("fresh").prefix_with("MATERIALIZED")


def _insert_owned(fresh: sa.CTE, values: dict) -> int:
    """INSERT … SELECT the fresh candidates with their customer's current active officer and
    branch (customers without one drop out), in id order; how many rows it inserted."""
    select = (
        sa.select(*(v.label(k) for k, v in values.items()))
        .select_from(fresh)
        .join(Customer, Customer.id == fresh.c.customer_id)
        .join(User, sa.and_(User.id == Customer.officer_id, User.active == sa.true()))
        .order_by(fresh.c.id)  # ids in the listing's order, whatever the plan
    )
    insert = _insert().from_select(list(values), select).on_conflict_do_nothing()
    return len(db.session.execute(insert.returning(table.c.id)).all())


def create_maturing_loans(start: date, end: date, now) -> int:
    """One INSERT … SELECT of the active facilities maturing in [start, end]."""
    f = Facility
    taken = sa.exists().where(
        table.c.facility_id == f.id,
        table.c.maturity_date == f.maturity_date,
        table.c.maturity_date.between(start, end),  # the same rows; years of others skipped
    )
    fresh = _fresh(
        f.id,
        f.customer_id,
        f.maturity_date,
        f.plafond,
        where=(f.status == FacilityStatus.ACTIVE, f.maturity_date.between(start, end), ~taken),
    )
    return _insert_owned(
        fresh,
        {
            "kind": sa.literal(Kind.LOAN.value),
            "basis": sa.literal(Basis.MATURITY.value),
            "facility_id": fresh.c.id,
            "deposit_account_id": sa.null(),
            "customer_id": fresh.c.customer_id,
            "officer_id": User.id,
            "branch_id": Customer.branch_id,
            "maturity_date": fresh.c.maturity_date,
            "plafond": fresh.c.plafond,
            **_common(now),
        },
    )


def _month_day(column) -> sa.ColumnElement[str]:
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(column, "MMDD")
    return sa.func.strftime("%m%d", column)


def anniversary_in(start_date: date, start: date, end: date) -> date | None:
    """The first anniversary of `start_date` in [start, end] (29 February: the 28th in other
    years), None when there is none."""
    for year in range(start.year, end.year + 1):
        try:
            day = start_date.replace(year=year)
        except ValueError:
            day = date(year, 2, 28)
        if start <= day <= end and day > start_date:
            return day
    return None


def create_anniversaries(start: date, end: date, now) -> int:
    """Working-capital lines maturing after the window whose anniversary falls within it."""
    mmdd = _month_day(Facility.start_date)
    first, last = f"{start:%m%d}", f"{end:%m%d}"
    in_range = mmdd.between(first, last) if first <= last else sa.or_(mmdd >= first, mmdd <= last)
    taken = sa.exists().where(
        table.c.facility_id == Facility.id, table.c.maturity_date.between(start, end)
    )
    stmt = _owner(
        sa.select(
            Facility.id,
            Facility.customer_id,
            User.id,
            Customer.branch_id,
            Facility.start_date,
            Facility.plafond,
        ).join(Product, Product.id == Facility.product_id)
    ).where(
        Facility.status == FacilityStatus.ACTIVE,
        Product.credit_subtype == CreditSubtype.WORKING_CAPITAL.value,
        Facility.maturity_date > end,
        Facility.start_date < start - timedelta(days=300),  # at least one year run by then
        in_range,
        ~taken,
    )
    stmt = stmt.order_by(Facility.id)
    rows = []
    for facility_id, customer_id, officer_id, branch_id, started, plafond in db.session.execute(
        stmt
    ):
        day = anniversary_in(started, start, end)
        if day is None:
            continue
        rows.append(
            {
                "kind": Kind.LOAN.value,
                "basis": Basis.ANNIVERSARY.value,
                "facility_id": facility_id,
                "deposit_account_id": None,
                "customer_id": customer_id,
                "officer_id": officer_id,
                "branch_id": branch_id,
                "maturity_date": day,
                "plafond": plafond,
                "stage": Stage.TO_CONTACT.value,
                "confirmed": False,
                "lost_note": "",
                "topup_allowed": False,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    if not rows:
        return 0
    db.session.execute(_insert().on_conflict_do_nothing(), rows)
    made = sa.select(sa.func.count()).where(
        table.c.basis == Basis.ANNIVERSARY.value,
        table.c.created_at == sa.literal(now, table.c.created_at.type),
    )
    return db.session.scalar(made)  # not the rows a concurrent run inserted first


def create_deposits(start: date, end: date, now) -> int:
    """One INSERT … SELECT of the open non-ARO depositos maturing in [start, end]."""
    a = DepositAccount
    taken = sa.exists().where(
        table.c.deposit_account_id == a.id,
        table.c.maturity_date == a.maturity_date,
        table.c.maturity_date.between(start, end),
    )
    fresh = _fresh(
        a.id,
        a.customer_id,
        a.maturity_date,
        where=(
            a.deposit_type == DepositType.DEPOSITO.value,
            sa.func.coalesce(a.aro, sa.false()) == sa.false(),
            a.status.in_(OPEN_DEPOSITS),
            a.maturity_date.between(start, end),
            ~taken,
        ),
    )
    return _insert_owned(
        fresh,
        {
            "kind": sa.literal(Kind.DEPOSIT.value),
            "basis": sa.literal(Basis.MATURITY.value),
            "facility_id": sa.null(),
            "deposit_account_id": fresh.c.id,
            "customer_id": fresh.c.customer_id,
            "officer_id": User.id,
            "branch_id": Customer.branch_id,
            "maturity_date": fresh.c.maturity_date,
            "plafond": sa.null(),
            **_common(now),
        },
    )
