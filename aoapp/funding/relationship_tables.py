"""The tables of the stored relationship figures (funding/relationship_rows.py writes them,
funding/stored_relationship.py reads them): the pairs of listings stored, one row per customer
and booking group on each, their rollups per booking group, and the customers who left between
two stored pairs in a row."""

from datetime import date

import sqlalchemy as sa

from aoapp.common import serial
from aoapp.credit.rollups import WAIT_SECONDS
from aoapp.database import UTCDateTime
from aoapp.extensions import db

PAIRS = sa.Table(
    "relationship_pairs",
    db.metadata,
    sa.Column("loans_as_of", sa.Date, primary_key=True),
    sa.Column("deposits_as_of", sa.Date, primary_key=True),
)

ROWS = sa.Table(
    "relationship_customers",
    db.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("loans_as_of", sa.Date, nullable=False),
    sa.Column("deposits_as_of", sa.Date, nullable=False),
    sa.Column("customer_id", sa.Integer, nullable=False),
    sa.Column("officer_id", sa.Integer),
    sa.Column("branch_id", sa.Integer),
    sa.Column("borrower", sa.Integer, nullable=False),
    sa.Column("depositor", sa.Integer, nullable=False),
    sa.Column("products", sa.Integer, nullable=False),
    sa.Column("has_credit", sa.Integer, nullable=False),
    sa.Column("has_deposit", sa.Integer, nullable=False),
    # How many rows the customer has on the pair (booking groups): the rollups below count the
    # customers of one row; those of several are read row by row (few).
    sa.Column("bookings", sa.Integer, nullable=False, server_default="1"),
    sa.Index(
        "ix_relationship_customers_pair_customer", "loans_as_of", "deposits_as_of", "customer_id"
    ),
    sa.Index(
        "ix_relationship_customers_pair_bookings", "loans_as_of", "deposits_as_of", "bookings"
    ),
    sa.Index(
        "ix_relationship_customers_pair_branch",
        "loans_as_of",
        "deposits_as_of",
        "branch_id",
        "officer_id",
    ),
    sa.Index(
        "ix_relationship_customers_pair_officer", "loans_as_of", "deposits_as_of", "officer_id"
    ),
)

# The journal of customers whose services or booking changed (migration 0043: PostgreSQL's
# triggers on product_holdings and customers write it), with the writing transaction's id: what
# funding/matched_services.py reads to bring its kept match up to date.
CHANGES = sa.Table(
    "relationship_changes",
    db.metadata,
    sa.Column("xid", sa.BigInteger, nullable=False),
    sa.Column("customer_id", sa.Integer, nullable=False),
    sa.Column("changed_at", UTCDateTime, nullable=False),
    sa.Index("ix_relationship_changes_xid", "xid"),
)

# Per pair and booking group (officer, branch), the relationship rows of the customers booked in
# that group alone, summed: what a scope's cross-sell adds up without reading its customers
# (funding/stored_relationship.py adds the customers of several groups and the services).
ROLLUPS = sa.Table(
    "relationship_rollups",
    db.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("loans_as_of", sa.Date, nullable=False),
    sa.Column("deposits_as_of", sa.Date, nullable=False),
    sa.Column("officer_id", sa.Integer),
    sa.Column("branch_id", sa.Integer),
    sa.Column("customers", sa.Integer, nullable=False),
    sa.Column("products", sa.Integer, nullable=False),
    sa.Column("borrowers", sa.Integer, nullable=False),
    sa.Column("borrowers_with_funding", sa.Integer, nullable=False),
    sa.Column("depositors", sa.Integer, nullable=False),
    sa.Column("depositors_with_credit", sa.Integer, nullable=False),
    sa.Index(
        "ix_relationship_rollups_pair_branch",
        "loans_as_of",
        "deposits_as_of",
        "branch_id",
        "officer_id",
    ),
)

# Two stored pairs in a row (no stored pair between them): `relationship_departures` holds,
# for each, the rows on the first of the customers who have no row on the second.
STEPS = sa.Table(
    "relationship_steps",
    db.metadata,
    sa.Column("loans_as_of", sa.Date, primary_key=True),
    sa.Column("deposits_as_of", sa.Date, primary_key=True),
    sa.Column("to_loans_as_of", sa.Date, primary_key=True),
    sa.Column("to_deposits_as_of", sa.Date, primary_key=True),
)

DEPARTURES = sa.Table(
    "relationship_departures",
    db.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("loans_as_of", sa.Date, nullable=False),
    sa.Column("deposits_as_of", sa.Date, nullable=False),
    sa.Column("to_loans_as_of", sa.Date, nullable=False),
    sa.Column("to_deposits_as_of", sa.Date, nullable=False),
    sa.Column("customer_id", sa.Integer, nullable=False),
    sa.Column("officer_id", sa.Integer),
    sa.Column("branch_id", sa.Integer),
    sa.Index(
        "ix_relationship_departures_step",
        "loans_as_of",
        "deposits_as_of",
        "to_loans_as_of",
        "to_deposits_as_of",
    ),
)

COLUMNS = [column.name for column in ROWS.c if column.name != "id"]
ROLLUP_COLUMNS = [column.name for column in ROLLUPS.c if column.name != "id"]
# The rollups' figures, after the pair and the group, in the order of `figures` below.
ROLLUP_FIGURES = tuple(ROLLUP_COLUMNS[4:])


def hold_joined(conn: sa.Connection) -> None:
    """Writers of the stored figures that join two listings take turns, whatever the kind and
    date of their listing (held to the commit): the relationship pairs and the steps between
    them (funding/relationship_rows.py), and the deposits' run-off, which compares a date with
    the previous month-end listing (funding/rollups.py). Else a figure computed from a listing
    another import is replacing outlives it: each writer, blind to the other's uncommitted
    listing, would miss what joins the two. One lock rather than one per date, so that writers
    of several dates cannot wait for each other in a cycle."""
    serial.hold(conn, "relationship:pairs", WAIT_SECONDS)


def of_pair(table: sa.Table, loans: date, deposits: date) -> sa.ColumnElement[bool]:
    """The rows of `table` on the pair (its first pair, for a step)."""
    return sa.and_(table.c.loans_as_of == loans, table.c.deposits_as_of == deposits)


def of_step(table: sa.Table, start: tuple[date, date], end: tuple[date, date]):
    """The rows of `table` (steps, departures) from the pair `start` to the pair `end`."""
    return sa.and_(
        of_pair(table, *start),
        table.c.to_loans_as_of == end[0],
        table.c.to_deposits_as_of == end[1],
    )


def figures(rows) -> list[sa.ColumnElement]:
    """What a scope's cross-sell sums over `rows` (relationship rows, one per customer): the
    customers, their products, borrowers, borrowers with funds, depositors, depositors with
    credit."""
    return [
        sa.func.count(),
        sa.func.sum(rows.products),
        sa.func.sum(rows.borrower),
        sa.func.sum(rows.borrower * rows.has_deposit),
        sa.func.sum(rows.depositor),
        sa.func.sum(rows.depositor * rows.has_credit),
    ]
