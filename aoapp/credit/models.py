"""Facilities (credit accounts), their positions per as-of date, Kol bands and monitoring visits."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.customers.models import follows_its_customer
from aoapp.extensions import db


class FacilityStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class KolRule(StrEnum):
    """Which rule decided a position's effective (debtor) collectibility."""

    DPD = "dpd"
    FILE = "file"
    RESTRUCTURE_HOLD = "restructure_hold"
    ONE_OBLIGOR = "one_obligor"


class RiskRating(StrEnum):
    """Risk rating of a monitoring visit, best first."""

    STRONG = "strong"
    ADEQUATE = "adequate"
    WEAK = "weak"
    CRITICAL = "critical"


class CollectibilityBand(db.Model):
    """One OJK collectibility class and its DPD band; the one table the thresholds live in."""

    __tablename__ = "collectibility_bands"

    kol: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name_id: Mapped[str] = mapped_column(sa.String(60))
    name_en: Mapped[str] = mapped_column(sa.String(60))
    min_dpd: Mapped[int]
    max_dpd: Mapped[int | None]  # None: no upper bound


class Facility(db.Model):
    """One credit account of a customer."""

    __tablename__ = "facilities"
    __table_args__ = (
        sa.CheckConstraint("status IN ('active', 'closed')", name="status"),
        # The few restructured facilities (a Loan at Risk input), found without a full scan.
        sa.Index(
            "ix_facilities_restructured",
            "id",
            postgresql_where=sa.text("restructured"),
            sqlite_where=sa.text("restructured"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_no: Mapped[str] = mapped_column(sa.String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    currency: Mapped[str] = mapped_column(sa.String(3), default="IDR")
    plafond: Mapped[Decimal]
    interest_rate: Mapped[Decimal] = mapped_column(sa.Numeric(7, 4))
    tenor_months: Mapped[int | None]
    # Indexed: the signals, the month's new disbursement and the maturing loans find their few
    # facilities by these dates (migration 0037).
    start_date: Mapped[date] = mapped_column(index=True)
    maturity_date: Mapped[date] = mapped_column(index=True)
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    collateral_description: Mapped[str] = mapped_column(sa.Text, default="")
    collateral_value: Mapped[Decimal | None]
    restructured: Mapped[bool] = mapped_column(default=False)
    restructured_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(10), default=FacilityStatus.ACTIVE)
    closed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer = relationship("Customer")
    product = relationship("Product")


# Past due, or Kol worse than on the previous listing: what every position-driven signal needs.
WATCH_PREDICATE = "dpd > 0 OR debtor_kol > prev_kol"


class Position(db.Model):
    """A facility's state on an as-of date, imported from core banking, with its computed Kol.

    `officer_id`/`branch_id`/`customer_id` are copied from the listing so portfolio figures on any
    past date are set-based sums; `prev_dpd`/`prev_kol` (the previous listing) feed the watchlist.
    Those copies carry no foreign keys on purpose: the importer derives them from checked rows, and
    per-row FK checks on a million positions cost more than the whole rest of the load.
    """

    __tablename__ = "positions"
    __table_args__ = (
        sa.UniqueConstraint("facility_id", "as_of", name="facility_as_of"),
        # Officer, customer and branch first: their history (dates, Kol over time) is a short
        # index range; as_of first serves bank-wide questions about one date (bench/load).
        sa.Index("ix_positions_as_of_branch", "as_of", "branch_id"),
        sa.Index("ix_positions_officer_as_of", "officer_id", "as_of"),
        sa.Index("ix_positions_customer_as_of", "customer_id", "as_of"),
        sa.Index("ix_positions_branch_as_of", "branch_id", "as_of"),
        # The positions a watchlist signal can flag (credit/signals.WATCHED, ~1 in 10): the
        # watchlist count of a date reads this small index instead of every position.
        sa.Index(
            "ix_positions_watch",
            "as_of",
            "branch_id",
            postgresql_where=sa.text(WATCH_PREDICATE),
            sqlite_where=sa.text(WATCH_PREDICATE),
        ),
        sa.CheckConstraint("dpd >= 0", name="dpd"),
        sa.CheckConstraint("facility_kol BETWEEN 1 AND 5", name="facility_kol"),
        sa.CheckConstraint("debtor_kol BETWEEN 1 AND 5", name="debtor_kol"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key either (migration 0029): the importer writes positions only for the
    # facilities it just upserted, and a key would lock `facilities` while a month is attached.
    facility_id: Mapped[int]
    # active_history: a date changed in place keeps its old value, whose rollups are rewritten
    as_of: Mapped[date] = mapped_column(active_history=True)
    customer_id: Mapped[int]
    officer_id: Mapped[int | None]
    branch_id: Mapped[int | None]
    outstanding: Mapped[Decimal]
    arrears_principal: Mapped[Decimal]
    arrears_interest: Mapped[Decimal]
    dpd: Mapped[int]
    file_kol: Mapped[int | None]
    dpd_kol: Mapped[int]
    facility_kol: Mapped[int]
    debtor_kol: Mapped[int]
    kol_rule: Mapped[str] = mapped_column(sa.String(20))
    prev_dpd: Mapped[int | None]
    prev_kol: Mapped[int | None]  # effective (debtor) Kol on the previous listing
    import_id: Mapped[int | None]

    facility: Mapped[Facility] = relationship(
        primaryjoin="foreign(Position.facility_id) == Facility.id", viewonly=True
    )


class KolUpgrade(db.Model):
    """An authorised upgrade of a restructured facility's Kol, lifting the restructure hold."""

    __tablename__ = "kol_upgrades"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id"), index=True)
    as_of: Mapped[date]
    from_kol: Mapped[int]
    to_kol: Mapped[int]
    justification: Mapped[str] = mapped_column(sa.Text)
    upgraded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    upgraded_at: Mapped[datetime] = mapped_column(default=utcnow)

    facility = relationship("Facility")
    upgraded_by = relationship("User")


MET_WITH_MAX = 120  # "who was met" on a visit: a name and role, e.g. "Bapak Darsono (pemilik)"


class MonitoringVisit(db.Model):
    """On-site check of a borrower's business and collateral, with a risk rating."""

    __tablename__ = "monitoring_visits"
    __table_args__ = (
        sa.CheckConstraint(
            "risk_rating IN ('strong', 'adequate', 'weak', 'critical')", name="risk_rating"
        ),
        sa.Index("ix_monitoring_visits_customer_date", "customer_id", "visit_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id", ondelete="CASCADE"))
    facility_id: Mapped[int | None] = mapped_column(sa.ForeignKey("facilities.id"), index=True)
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    visit_date: Mapped[date]
    met_with: Mapped[str] = mapped_column(  # who was met: "Bapak Darsono (pemilik)"
        sa.String(MET_WITH_MAX), default="", server_default=""
    )
    business_condition: Mapped[str] = mapped_column(sa.Text, default="")
    collateral_condition: Mapped[str] = mapped_column(sa.Text, default="")
    collateral_value: Mapped[Decimal | None]
    findings: Mapped[str] = mapped_column(sa.Text, default="")
    risk_rating: Mapped[str] = mapped_column(sa.String(10))
    recommendations: Mapped[str] = mapped_column(sa.Text, default="")
    next_visit_date: Mapped[date | None]
    # Where the officer's phone was when the visit was logged, with their consent (or where
    # its first located photo was taken); metres of accuracy; when the position was read.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    accuracy: Mapped[float | None]
    located_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer = relationship("Customer")
    facility = relationship("Facility")
    officer = relationship("User")
    photos: Mapped[list["VisitPhoto"]] = relationship(  # noqa: F821 (credit/visits/models.py)
        back_populates="visit", order_by="VisitPhoto.id", passive_deletes=True
    )


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------

# Credit records follow their customer's current assignment.
for _model in (Facility, Position, MonitoringVisit):
    follows_its_customer(_model)

# The photos of a visit (the relationship above names their model).
from aoapp.credit.visits import models as _visit_photos  # noqa: E402, F401
