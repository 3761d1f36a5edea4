"""Core banking follows a handover, or not: what each listing says of the customers pending.

- While a handed-over customer is pending (or in conflict), no listing moves it back: its id is
  held from the listing's update of customers (imports.holds; set-based, inside the load).
- After each loan listing dated from the handover's day on, the customers it lists are compared
  with the handover: every row with the new officer → confirmed; a row with another officer →
  conflict, with the officer the listing shows, reported on the import's page. The deposits
  listing decides for customers without an active facility only (the loan listing names a
  debtor's officer, as imports.deposits does).
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from aoapp.audit import services as audit
from aoapp.auth.models import User
from aoapp.common.sections import page_section
from aoapp.common.transaction import unit_of_work
from aoapp.credit.models import Facility, FacilityStatus, Position
from aoapp.customers.hooks import customer_section
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding.models import DepositPosition
from aoapp.handovers.models import OPEN_SQL, CoreStatus, Handover, HandoverCustomer
from aoapp.imports.holds import held_customers
from aoapp.imports.kinds import after_import

# A constant: the open rows' customers (the partial unique index uq_handover_customers_open).
HELD = f"SELECT customer_id FROM handover_customers WHERE {OPEN_SQL}"  # noqa: S608
held_customers("handovers", HELD)

FAILED = _l("Handed-over customers could not be compared with the listing: %(reason)s")
OPEN = (CoreStatus.PENDING.value, CoreStatus.CONFLICT.value)


@after_import("loans", key="handovers", failed=FAILED)
def compare_loan_listing(record) -> dict | None:
    """After each loan listing: confirm the handovers it shows, report those it contradicts."""
    return compare(record, Position, debtors=True)


@after_import("deposits", key="handovers", failed=FAILED)
def compare_deposit_listing(record) -> dict | None:
    """After each deposits listing: the same, for customers without an active facility."""
    return compare(record, DepositPosition, debtors=False)


def compare(record, positions, *, debtors: bool) -> dict | None:
    """Set the core status of the open handover rows this listing lists; returns the counts
    (None when it lists none)."""
    hc = HandoverCustomer
    if not db.session.scalar(sa.select(sa.exists().where(hc.core_status.in_(OPEN)))):
        return None  # nobody pending: SQLite would otherwise read the date's positions (≈1 s/1M)
    other = sa.case((positions.officer_id != hc.new_officer_id, positions.officer_id))
    same = sa.case((positions.officer_id == hc.new_officer_id, 1), else_=0)
    stmt = (
        sa.select(hc.id, sa.func.sum(same), sa.func.min(other))
        .join(positions, positions.customer_id == hc.customer_id)
        .join(Handover, Handover.id == hc.handover_id)
        .where(
            hc.core_status.in_(OPEN),
            Handover.handed_on <= record.as_of,
            positions.as_of == record.as_of,
            positions.import_id == record.id,
            positions.officer_id.is_not(None),
        )
        .group_by(hc.id)
    )
    if not debtors:
        active = sa.select(Facility.id).where(
            Facility.customer_id == hc.customer_id, Facility.status == FacilityStatus.ACTIVE
        )
        stmt = stmt.where(~active.exists())
    found = {row_id: (same_rows, shown) for row_id, same_rows, shown in db.session.execute(stmt)}
    if not found:
        return None  # the listing lists no customer pending: nothing to say on its page
    counts = {"confirmed": 0, "conflicts": 0}
    actor = db.session.get(User, record.user_id) if record.user_id else None
    with unit_of_work():
        rows = list(db.session.scalars(sa.select(hc).where(hc.id.in_(found)).order_by(hc.id)))
        befores = [audit.snapshot(row) for row in rows]
        for row in rows:
            same_rows, shown = found[row.id]
            row.status_import_id = record.id
            if shown is None and same_rows:
                row.core_status, row.listing_officer_id = CoreStatus.CONFIRMED, None
                counts["confirmed"] += 1
            else:
                row.core_status, row.listing_officer_id = CoreStatus.CONFLICT, shown
                counts["conflicts"] += 1
        db.session.flush()
        audit.record_all(
            actor,
            [(r, "listing", b, audit.snapshot(r)) for r, b in zip(rows, befores, strict=True)],
        )
    return counts


@dataclass
class ConflictGroup:
    """The customers of one handover a listing contradicts."""

    handover: Handover
    rows: list[HandoverCustomer]


def conflicts_of_import(import_id: int) -> list[ConflictGroup]:
    """The customers still in conflict after this import, by handover."""
    stmt = (
        sa.select(HandoverCustomer)
        .join(Customer, Customer.id == HandoverCustomer.customer_id)
        .where(
            HandoverCustomer.status_import_id == import_id,
            HandoverCustomer.core_status == CoreStatus.CONFLICT,
        )
        .order_by(HandoverCustomer.handover_id, Customer.name, Customer.id)
    )
    groups: dict[int, ConflictGroup] = {}
    for row in db.session.scalars(stmt):
        groups.setdefault(row.handover_id, ConflictGroup(row.handover, [])).rows.append(row)
    return list(groups.values())


@customer_section("handover")
def _customer_section(actor, customer) -> HandoverCustomer | None:
    """The customer page's note: handed over, core banking's update still awaited."""
    return db.session.scalar(
        sa.select(HandoverCustomer).where(
            HandoverCustomer.customer_id == customer.id, HandoverCustomer.core_status.in_(OPEN)
        )
    )


@page_section("import", "handover_conflicts")
def _import_section(actor, record) -> list[ConflictGroup]:
    """The import page's report (admins only see import pages)."""
    return conflicts_of_import(record.id)
