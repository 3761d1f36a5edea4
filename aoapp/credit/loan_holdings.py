"""The loan listing's holdings per date: each customer's distinct products on a date and where
they are booked, one row per (as_of, customer, product, officer, branch) — what the relationship
figures (funding/held.py) read instead of joining a date's positions to their facilities.

Written with the month-end aggregates (credit/rollups.write, same dates, same transaction), so a
date has rollups exactly when it has these rows, and `rollup_reads.dates_with_rollups` is the one
switch for both. A row keeps the product id, not its category: editing a product's kind or
subtype moves every date's category with it, as the live query does. A facility moved to
another product (a listing, an edit) rewrites its customer's rows on every date
(`rewrite_customers`).
"""

from datetime import date

import sqlalchemy as sa

from aoapp.credit.models import Facility, Position
from aoapp.extensions import db

LOAN_HOLDINGS = sa.Table(
    "loan_holdings",
    db.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("customer_id", sa.Integer, nullable=False),
    sa.Column("product_id", sa.Integer, nullable=False),
    sa.Column("officer_id", sa.Integer),
    sa.Column("branch_id", sa.Integer),
    sa.Index("ix_loan_holdings_as_of_customer", "as_of", "customer_id"),
    sa.Index("ix_loan_holdings_as_of_branch", "as_of", "branch_id", "officer_id"),
    sa.Index("ix_loan_holdings_officer_as_of", "officer_id", "as_of"),
)

COLUMNS = ("as_of", "customer_id", "product_id", "officer_id", "branch_id")


def rows(condition: sa.ColumnElement[bool]) -> sa.Select:
    """The distinct holdings of the positions `condition` keeps."""
    return (
        sa.select(
            Position.as_of,
            Position.customer_id,
            Facility.product_id,
            Position.officer_id,
            Position.branch_id,
        )
        .join(Facility, Facility.id == Position.facility_id)
        .where(condition)
        .distinct()
    )


def write(conn: sa.Connection, dates: list[date]) -> None:
    """The holdings of `dates` computed again from their positions (the caller holds the dates'
    rollups lock: credit/rollups.write)."""
    on = Position.as_of == dates[0] if len(dates) == 1 else Position.as_of.in_(dates)
    conn.execute(sa.delete(LOAN_HOLDINGS).where(LOAN_HOLDINGS.c.as_of.in_(dates)))
    conn.execute(sa.insert(LOAN_HOLDINGS).from_select(COLUMNS, rows(on)))


def rewrite_customers(conn: sa.Connection, customers: sa.Select, dates: sa.Select) -> None:
    """The holdings of `customers` on `dates` (those with rollups) computed again: a facility of
    theirs changed product."""
    mine = sa.and_(LOAN_HOLDINGS.c.customer_id.in_(customers), LOAN_HOLDINGS.c.as_of.in_(dates))
    conn.execute(sa.delete(LOAN_HOLDINGS).where(mine))
    kept = sa.and_(Position.customer_id.in_(customers), Position.as_of.in_(dates))
    conn.execute(sa.insert(LOAN_HOLDINGS).from_select(COLUMNS, rows(kept)))
