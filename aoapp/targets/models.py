"""Monthly targets of one account officer; a metric left empty has no target that month."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.extensions import db


class Target(db.Model):
    """What one officer is asked to achieve in one calendar month (`month` is its first day)."""

    __tablename__ = "targets"
    __table_args__ = (
        sa.UniqueConstraint("officer_id", "month", name="uq_targets_officer_month"),
        sa.CheckConstraint(
            "(new_customers IS NULL OR new_customers >= 0)"
            " AND (followups_done IS NULL OR followups_done >= 0)"
            " AND (introductions IS NULL OR introductions >= 0)"
            " AND (new_disbursement IS NULL OR new_disbursement >= 0)",
            name="non_negative",
        ),
        sa.CheckConstraint(
            "max_npl_ratio IS NULL OR (max_npl_ratio >= 0 AND max_npl_ratio <= 1)",
            name="max_npl_ratio",
        ),
        sa.CheckConstraint(
            "(casa_ratio IS NULL OR (casa_ratio >= 0 AND casa_ratio <= 1))"
            " AND (retention_rate IS NULL OR (retention_rate >= 0 AND retention_rate <= 1))"
            " AND (cross_sell_ratio IS NULL OR cross_sell_ratio >= 0)",
            name="relationship_ratios",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))  # unique index leads
    month: Mapped[date] = mapped_column(index=True)
    new_customers: Mapped[int | None]
    new_disbursement: Mapped[Decimal | None]  # plafond of facilities started in the month
    outstanding_growth: Mapped[Decimal | None]
    max_npl_ratio: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 4))  # 0.0300 = 3 %
    followups_done: Mapped[int | None]
    introductions: Mapped[int | None]
    dpk_growth: Mapped[Decimal | None]  # third-party funds (DPK) growth over the month, Rp
    casa_ratio: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 4))  # at least, 0–1
    cross_sell_ratio: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 4))  # products/customer
    retention_rate: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 4))  # at least, 0–1
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    officer = relationship("User", foreign_keys=[officer_id])
    set_by = relationship("User", foreign_keys=[set_by_id])
