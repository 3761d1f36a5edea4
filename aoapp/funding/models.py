"""Deposit accounts (giro, tabungan, deposito) and their positions per as-of date.

Both come from the deposits listing (daftar nominatif simpanan, `aoapp.imports.deposits`): an
account holds its current state (the newest listing's), a position its balance on one as-of date,
as facilities and positions do on the credit side.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.customers.models import follows_its_customer
from aoapp.extensions import db


class DepositStatus(StrEnum):
    """A deposit account's status in core banking."""

    ACTIVE = "active"
    DORMANT = "dormant"  # no customer transaction for long: still the bank's funds
    BLOCKED = "blocked"  # frozen (a lien, a court order): still the bank's funds
    CLOSED = "closed"


STATUS_CHECK = "status IN ('active', 'dormant', 'blocked', 'closed')"
TYPE_CHECK = "deposit_type IN ('giro', 'tabungan', 'deposito')"


class DepositAccount(db.Model):
    """One deposit account of a customer, as the newest deposits listing describes it.

    `officer_id`/`branch_id` are the listing's (the officer credited with the funds, the branch
    that books the account); like a position's copies they carry no foreign keys, for the import's
    speed. `deposit_type` is the product's, kept here so funding sums need no join.
    """

    __tablename__ = "deposit_accounts"
    __table_args__ = (
        sa.CheckConstraint(STATUS_CHECK, name="status"),
        sa.CheckConstraint(TYPE_CHECK, name="deposit_type"),
        sa.CheckConstraint("(status = 'closed') = (closed_on IS NOT NULL)", name="closed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_no: Mapped[str] = mapped_column(sa.String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    officer_id: Mapped[int | None]
    branch_id: Mapped[int | None]
    deposit_type: Mapped[str] = mapped_column(sa.String(10))
    currency: Mapped[str] = mapped_column(sa.String(3), default="IDR")
    open_date: Mapped[date]
    maturity_date: Mapped[date | None]  # deposito (and a tabungan berjangka)
    tenor_months: Mapped[int | None]
    interest_rate: Mapped[Decimal] = mapped_column(sa.Numeric(7, 4))
    aro: Mapped[bool | None]  # deposito: rolls over automatically at maturity
    status: Mapped[str] = mapped_column(sa.String(10), default=DepositStatus.ACTIVE)
    closed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer = relationship("Customer")
    product = relationship("Product")


class DepositPosition(db.Model):
    """A deposit account's balance on an as-of date (a month end), from the deposits listing.

    `customer_id`, `officer_id`, `branch_id` and `deposit_type` are copied from the listing so
    funding figures on any date are set-based sums over this table alone (no foreign keys, as
    credit positions). `average_balance` is the month's average (saldo rata-rata) when given.
    """

    __tablename__ = "deposit_positions"
    __table_args__ = (
        sa.UniqueConstraint("account_id", "as_of", name="uq_deposit_positions_account_as_of"),
        sa.Index("ix_deposit_positions_as_of_branch", "as_of", "branch_id"),
        sa.Index("ix_deposit_positions_officer_as_of", "officer_id", "as_of"),
        sa.Index("ix_deposit_positions_customer_as_of", "customer_id", "as_of"),
        sa.CheckConstraint(STATUS_CHECK, name="status"),
        sa.CheckConstraint(TYPE_CHECK, name="deposit_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key (migration 0042): the importer writes positions only for the accounts it
    # just upserted, and a key would lock `deposit_accounts` while a month is attached.
    account_id: Mapped[int]
    as_of: Mapped[date]
    customer_id: Mapped[int]
    officer_id: Mapped[int | None]
    branch_id: Mapped[int | None]
    deposit_type: Mapped[str] = mapped_column(sa.String(10))
    balance: Mapped[Decimal]
    average_balance: Mapped[Decimal | None]
    status: Mapped[str] = mapped_column(sa.String(10))
    # The listing's maturity and roll-over flag (deposito): a later roll-over moves the account's,
    # not what was true on this date.
    maturity_date: Mapped[date | None]
    aro: Mapped[bool | None]
    import_id: Mapped[int | None]

    account: Mapped[DepositAccount] = relationship(
        primaryjoin="foreign(DepositPosition.account_id) == DepositAccount.id", viewonly=True
    )


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------

# Funding records follow their customer's current assignment, as credit records do.
for _model in (DepositAccount, DepositPosition):
    follows_its_customer(_model)
