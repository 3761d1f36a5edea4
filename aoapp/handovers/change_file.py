"""The change file for core banking: one CSV row per account of the customers a handover moved
(active facilities, open deposit accounts), with the officer code to replace and the new one.

Columns `cif,account_no,old_officer_code,new_officer_code`, UTF-8, comma-separated, a header
row; ids as they are stored (leading zeros kept). Written atomically under EXPORTS_DIR with the
reports' storage (a temporary file, fsync, rename), so a reader never sees half a file.
"""

import csv

import sqlalchemy as sa

from aoapp.credit.models import Facility, FacilityStatus
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.funding.models import DepositAccount, DepositStatus
from aoapp.reports.storage import StoredFile, absolute, relative_path, write_atomic

HEADER = ("cif", "account_no", "old_officer_code", "new_officer_code")
FOLDER = "handovers"


def accounts(customer_ids: list[int]) -> list[tuple[str, str]]:
    """(CIF, account number) of the customers' active facilities and open deposit accounts,
    ordered by CIF then account."""
    if not customer_ids:
        return []
    loans = (
        sa.select(Customer.cif, Facility.account_no)
        .join(Facility, Facility.customer_id == Customer.id)
        .where(Customer.id.in_(customer_ids), Facility.status == FacilityStatus.ACTIVE)
    )
    deposits = (
        sa.select(Customer.cif, DepositAccount.account_no)
        .join(DepositAccount, DepositAccount.customer_id == Customer.id)
        .where(Customer.id.in_(customer_ids), DepositAccount.status != DepositStatus.CLOSED)
    )
    union = sa.union_all(loans, deposits).subquery()
    stmt = sa.select(union.c.cif, union.c.account_no).order_by(union.c.cif, union.c.account_no)
    return [(cif, account_no) for cif, account_no in db.session.execute(stmt)]


def path_of(handover_id: int) -> str:
    """The change file's path under EXPORTS_DIR."""
    return relative_path(FOLDER, f"handover-{int(handover_id)}.csv")


def write(
    handover_id: int, rows: list[tuple[str, str]], old_code: str, new_code: str
) -> StoredFile:
    """Write the handover's change file atomically; returns where and what was stored."""

    def to(temp_path: str) -> None:
        with open(temp_path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(HEADER)
            writer.writerows((cif, account_no, old_code, new_code) for cif, account_no in rows)

    return write_atomic(path_of(handover_id), to)


def stored(path: str | None):
    """The absolute path of a complete change file, or None (never written, or gone)."""
    if not path:
        return None
    full = absolute(path)
    return full if full.is_file() else None
