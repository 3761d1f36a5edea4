"""The batched credit queries behind the per-customer workbook: customers, facilities, positions,
the Kol before the period and the watchlist.

Each function runs one statement for a whole batch of customers (an `IN` list and joins), so a
batch of 500 customers costs the same queries as a batch of 2. Rows are plain column tuples (no
ORM objects) because workbooks are built by the thousand. Activity (introductions, follow-ups,
complaints, visits) is in activity.py.
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from aoapp.auth.models import Branch, User
from aoapp.common import latest
from aoapp.credit.figures import PortfolioScope
from aoapp.credit.models import Facility, Position
from aoapp.credit.signals import SIGNALS, SignalContext
from aoapp.credit.watchlist import flagged
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.products.models import Product


def grouped(stmt: sa.Select, key: str = "customer_id") -> dict[int, list]:
    """Rows of `stmt` grouped by their customer id, in the statement's order."""
    groups: dict[int, list] = {}
    for row in db.session.execute(stmt):
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


def in_batch(column, ids: list[int]) -> sa.ColumnElement[bool]:
    """`column IN (…ids…)` with the ids written into the SQL text.

    They are integers (int() refuses anything else), and 500 literals cost the driver far less
    than 500 bound parameters to splice into every statement.
    """
    values = [int(value) for value in ids]
    return column.in_(
        sa.bindparam("batch_ids", values, expanding=True, literal_execute=True, unique=True)
    )


def _batch_facility_ids(ids: list[int]) -> sa.Select:
    """Ids of the batch's facilities, as a subquery (positions are indexed by facility)."""
    return sa.select(Facility.id).where(in_batch(Facility.customer_id, ids))


def customers(ids: list[int]) -> dict[int, sa.Row]:
    """Identity, branch and officer of each customer."""
    officer = aliased(User)
    stmt = (
        sa.select(
            Customer.id,
            Customer.cif,
            Customer.name,
            Customer.customer_type,
            Customer.segment,
            Customer.since,
            Customer.branch_id,
            Branch.code.label("branch_code"),
            Branch.name.label("branch_name"),
            Customer.officer_id,
            officer.username.label("officer_username"),  # the storage folder, never shown
            officer.officer_code.label("officer_code"),
            officer.full_name.label("officer_name"),
        )
        .join(Branch, Branch.id == Customer.branch_id)
        .outerjoin(officer, officer.id == Customer.officer_id)
        .where(in_batch(Customer.id, ids))
    )
    return {row.id: row for row in db.session.execute(stmt)}


def facilities(ids: list[int]) -> dict[int, list]:
    """Every facility of each customer with its product, by account number."""
    stmt = (
        sa.select(
            Facility.id,
            Facility.customer_id,
            Facility.account_no,
            Product.code.label("product_code"),
            Product.name.label("product_name"),
            Facility.plafond,
            Facility.interest_rate,
            Facility.start_date,
            Facility.maturity_date,
            Facility.restructured,
            Facility.status,
            Facility.closed_on,
        )
        .join(Product, Product.id == Facility.product_id)
        .where(in_batch(Facility.customer_id, ids))
        .order_by(Facility.account_no)
    )
    return grouped(stmt)


def positions(ids: list[int], first: date, last: date) -> dict[int, list]:
    """Positions of the batch's facilities dated `first` to `last`, by facility id, oldest first."""
    stmt = (
        sa.select(
            Position.facility_id,
            Position.as_of,
            Position.outstanding,
            Position.arrears_principal,
            Position.arrears_interest,
            Position.dpd,
            Position.facility_kol,
            Position.debtor_kol,
            Position.kol_rule,
        )
        .where(
            Position.facility_id.in_(_batch_facility_ids(ids)),
            Position.as_of >= first,
            Position.as_of <= last,
        )
        .order_by(Position.as_of)
    )
    return grouped(stmt, "facility_id")


def kol_before(ids: list[int], day: date) -> dict[int, tuple[date, int]]:
    """Each customer's debtor Kol on its last listing before `day`: (listing date, Kol)."""
    last = (
        sa.select(Facility.customer_id, sa.func.max(Position.as_of).label("as_of"))
        .join(Facility, Facility.id == Position.facility_id)
        .where(in_batch(Facility.customer_id, ids), Position.as_of < day)
        .group_by(Facility.customer_id)
        .subquery()
    )
    stmt = (
        sa.select(last.c.customer_id, last.c.as_of, sa.func.max(Position.debtor_kol))
        .select_from(Position)
        .join(Facility, Facility.id == Position.facility_id)
        .join(
            last,
            sa.and_(last.c.customer_id == Facility.customer_id, last.c.as_of == Position.as_of),
        )
        .group_by(last.c.customer_id, last.c.as_of)
    )
    return {customer_id: (as_of, int(kol)) for customer_id, as_of, kol in db.session.execute(stmt)}


def listing_dates(as_of: date, last: date) -> tuple[date | None, date | None]:
    """The bank's first loan listing date after `as_of` (the watchlist judges up to the day
    before) and its deposits listing dated on or last before `last` (common/latest.py)."""
    later = [day for day in latest.listed(latest.LOANS).dates if day > as_of]
    return (later[0] if later else None), latest.newest(latest.DEPOSITS, last)


def watchlist(
    ids: list[int], as_of: date, next_as_of: date | None, judged_on: date
) -> dict[int, list]:
    """The watchlist signals on `as_of` of the batch's positions, judged as of `judged_on` (the
    period's judging day), by customer id.

    The signals are credit/signals.py's own selects, run over the batch as one UNION ALL; the
    record behind a signal (a visit, a promise) is outer-joined so no query follows per row.
    Each entry: (signal code, signal date, position, facility, detail record or None).
    """
    scope = PortfolioScope(condition=in_batch(Position.customer_id, ids), label="report batch")
    ctx = SignalContext(scope, as_of, next_as_of, judged_on)
    flags = flagged(ctx)
    details = {}
    for code, signal in SIGNALS.items():
        if signal.detail is not None:
            details.setdefault(signal.detail, []).append(code)
    aliases = {model: aliased(model) for model in details}
    stmt = (
        sa.select(flags.c.signal, flags.c.signal_date, Position, Facility, *aliases.values())
        .join(Position, Position.id == flags.c.position_id)
        .join(Facility, Facility.id == Position.facility_id)
        .order_by(flags.c.signal_date.desc(), Facility.account_no, flags.c.rank)
    )
    for model, alias in aliases.items():
        stmt = stmt.outerjoin(
            alias, sa.and_(flags.c.signal.in_(details[model]), alias.id == flags.c.detail_id)
        )
    found: dict[int, list] = {}
    for row in db.session.execute(stmt):
        signal, signal_date, position, facility, *records = row
        model = SIGNALS[signal].detail
        detail = records[list(aliases).index(model)] if model is not None else None
        found.setdefault(position.customer_id, []).append(
            (signal, signal_date, position, facility, detail)
        )
    return found
