"""Portfolio handovers: one record per handover (who, from whom, to whom, when, why, how many,
the change file for core banking) and one row per customer moved, with core banking's status.

Core banking is the master of the officer code on the listings: a moved customer is pending
until a listing shows the new officer (confirmed); a listing still showing another officer is a
conflict for the admin to decide (keep the handover: pending again; accept the listing: the
customer goes back, reverted). A later handover of the same customer supersedes an open row.
"""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.auth.scoping import is_officer, scope_rule
from aoapp.common.dates import utcnow
from aoapp.extensions import db


class CoreStatus(StrEnum):
    """Where core banking stands on one moved customer."""

    PENDING = "pending"  # waiting for a listing with the new officer code
    CONFIRMED = "confirmed"  # a listing showed the new officer code
    CONFLICT = "conflict"  # a listing still showed another code: the admin decides
    REVERTED = "reverted"  # the admin accepted the listing: the customer went back
    SUPERSEDED = "superseded"  # handed over again before core banking followed


# Rows a listing may not undo (imports.holds) and checks against (handovers.listing).
OPEN_STATUSES = (CoreStatus.PENDING, CoreStatus.CONFLICT)
OPEN_SQL = "core_status IN ('pending', 'conflict')"


def _in(column: str, enum) -> str:
    return f"{column} IN ({', '.join(repr(member.value) for member in enum)})"


class Handover(db.Model):
    """One handover of customers from one officer to another."""

    __tablename__ = "handovers"
    __table_args__ = (
        sa.CheckConstraint("from_officer_id <> to_officer_id", name="two_officers"),
        sa.CheckConstraint("customer_count >= 0", name="customer_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    to_officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # The officers' branches then: who may see the handover (a supervisor of either).
    from_branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    to_branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    handed_on: Mapped[date]  # the bank's day: listings dated from it on are compared
    note: Mapped[str] = mapped_column(sa.Text, default="")
    customer_count: Mapped[int] = mapped_column(default=0)
    followup_count: Mapped[int] = mapped_column(default=0)
    complaint_count: Mapped[int] = mapped_column(default=0)
    plan_count: Mapped[int] = mapped_column(default=0)
    renewal_count: Mapped[int] = mapped_column(default=0)
    account_count: Mapped[int] = mapped_column(default=0)  # rows of the change file
    change_file: Mapped[str | None] = mapped_column(sa.String(255))  # under EXPORTS_DIR
    change_file_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    from_officer = relationship("User", foreign_keys=[from_officer_id])
    to_officer = relationship("User", foreign_keys=[to_officer_id])
    from_branch = relationship("Branch", foreign_keys=[from_branch_id])
    to_branch = relationship("Branch", foreign_keys=[to_branch_id])
    by = relationship("User", foreign_keys=[by_id])
    customers: Mapped[list["HandoverCustomer"]] = relationship(
        back_populates="handover", order_by="HandoverCustomer.id"
    )


class HandoverCustomer(db.Model):
    """One customer a handover moved, and core banking's status of its officer code."""

    __tablename__ = "handover_customers"
    __table_args__ = (
        sa.CheckConstraint(_in("core_status", CoreStatus), name="core_status"),
        # One open row per customer: two handovers of one customer cannot both be pending.
        sa.Index(
            "uq_handover_customers_open",
            "customer_id",
            unique=True,
            postgresql_where=sa.text(OPEN_SQL),
            sqlite_where=sa.text(OPEN_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(
        sa.ForeignKey("handovers.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    old_officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    new_officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    core_status: Mapped[str] = mapped_column(sa.String(10), default=CoreStatus.PENDING)
    # The listing that confirmed or contradicted the handover, and the officer it showed.
    status_import_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("position_imports.id", ondelete="SET NULL"), index=True
    )
    listing_officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)  # two admins deciding at once: one wins
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    handover: Mapped[Handover] = relationship(back_populates="customers")
    customer = relationship("Customer")
    old_officer = relationship("User", foreign_keys=[old_officer_id])
    new_officer = relationship("User", foreign_keys=[new_officer_id])
    listing_officer = relationship("User", foreign_keys=[listing_officer_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.core_status in OPEN_STATUSES


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------


@scope_rule(Handover)
def _handovers(user) -> sa.ColumnElement[bool]:
    """Supervisors see the handovers from or to an officer of their branches; officers none."""
    if is_officer(user):
        return sa.false()
    branches = user.supervised_branch_ids
    return sa.or_(Handover.from_branch_id.in_(branches), Handover.to_branch_id.in_(branches))
