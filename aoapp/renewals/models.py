"""Renewal opportunities: a facility maturing (or a working-capital line due for its yearly
extension) or a non-ARO deposito maturing, owned by the customer's officer (renewals/pipeline.py)."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import bank_today, utcnow
from aoapp.customers.models import follows_its_customer
from aoapp.extensions import db
from aoapp.products.models import Product


class Kind(StrEnum):
    LOAN = "loan"
    DEPOSIT = "deposit"


class Basis(StrEnum):
    """Why the opportunity exists: the maturity, or a revolving line's yearly extension."""

    MATURITY = "maturity"
    ANNIVERSARY = "anniversary"


class Stage(StrEnum):
    TO_CONTACT = "to_contact"
    IN_DISCUSSION = "in_discussion"
    PROPOSED = "proposed"
    CLOSED = "closed"


OPEN_STAGES = (Stage.TO_CONTACT, Stage.IN_DISCUSSION, Stage.PROPOSED)


class RenewalOutcome(StrEnum):
    RENEWED = "renewed"
    TOPPED_UP = "topped_up"  # suplesi: renewed with a larger plafond
    PAID_OFF_RETAINED = "paid_off_retained"  # paid off; the customer still holds something
    PAID_OFF_LOST = "paid_off_lost"  # paid off; nothing left at the bank
    ROLLED_OVER = "rolled_over"  # deposito
    WITHDRAWN = "withdrawn"  # deposito


LOAN_OUTCOMES = (
    RenewalOutcome.RENEWED,
    RenewalOutcome.TOPPED_UP,
    RenewalOutcome.PAID_OFF_RETAINED,
    RenewalOutcome.PAID_OFF_LOST,
)
DEPOSIT_OUTCOMES = (RenewalOutcome.ROLLED_OVER, RenewalOutcome.WITHDRAWN)
OUTCOMES_OF = {Kind.LOAN: LOAN_OUTCOMES, Kind.DEPOSIT: DEPOSIT_OUTCOMES}


class LostReason(StrEnum):
    """Why a customer left (a paid-off-and-lost loan, a withdrawn deposito)."""

    COMPETITOR = "competitor"  # another bank's offer
    PRICING = "pricing"  # our rate or fees
    NO_NEED = "no_need"  # no longer needs the credit or the deposit
    SERVICE = "service"  # unhappy with our service
    BUSINESS_CLOSED = "business_closed"
    RELOCATED = "relocated"
    OTHER = "other"


class SettledBy(StrEnum):
    LISTING = "listing"  # the next listing proposed the outcome; the officer confirms it
    OFFICER = "officer"  # recorded (or corrected) by the officer


def _in(column: str, enum, nullable: bool = False) -> str:
    codes = f"{column} IN ({', '.join(repr(m.value) for m in enum)})"
    return f"{column} IS NULL OR {codes}" if nullable else codes


class RenewalOpportunity(db.Model):
    """One maturity of one facility or deposit account, worked from contact to outcome.

    Unique per facility (or account) and maturity date: a renewed facility with a new maturity
    gets a new opportunity later, never two for the same maturity. `plafond` is the facility's
    when the opportunity was created (a facility renewed in place changes its own). An outcome
    the listing proposed (`settled_by` listing) waits for the officer's confirmation
    (`confirmed`); `proposed_outcome` keeps what the listing said.
    """

    __tablename__ = "renewal_opportunities"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", Kind), name="kind"),
        sa.CheckConstraint(_in("basis", Basis), name="basis"),
        sa.CheckConstraint(_in("stage", Stage), name="stage"),
        sa.CheckConstraint(_in("outcome", RenewalOutcome, True), name="outcome"),
        sa.CheckConstraint(_in("proposed_outcome", RenewalOutcome, True), name="proposed_outcome"),
        sa.CheckConstraint(_in("lost_reason", LostReason, True), name="lost_reason"),
        sa.CheckConstraint(_in("settled_by", SettledBy, True), name="settled_by"),
        sa.CheckConstraint("(stage = 'closed') = (outcome IS NOT NULL)", name="closed_outcome"),
        sa.CheckConstraint("(kind = 'loan') = (facility_id IS NOT NULL)", name="loan_facility"),
        sa.CheckConstraint(
            "(kind = 'deposit') = (deposit_account_id IS NOT NULL)", name="deposit_account"
        ),
        sa.UniqueConstraint(
            "facility_id", "maturity_date", name="uq_renewal_opportunities_facility_maturity"
        ),
        sa.UniqueConstraint(
            "deposit_account_id", "maturity_date", name="uq_renewal_opportunities_account_maturity"
        ),
        sa.Index("ix_renewal_opportunities_officer_stage", "officer_id", "stage", "maturity_date"),
        sa.Index("ix_renewal_opportunities_branch_maturity", "branch_id", "maturity_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    basis: Mapped[str] = mapped_column(sa.String(12), default=Basis.MATURITY)
    facility_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("facilities.id", ondelete="CASCADE")
    )
    deposit_account_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("deposit_accounts.id", ondelete="CASCADE")
    )
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id"))
    maturity_date: Mapped[date]
    plafond: Mapped[Decimal | None]  # a loan's plafond when the opportunity was created
    stage: Mapped[str] = mapped_column(sa.String(14), default=Stage.TO_CONTACT)
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    proposed_outcome: Mapped[str | None] = mapped_column(sa.String(20))
    settled_by: Mapped[str | None] = mapped_column(sa.String(10))
    confirmed: Mapped[bool] = mapped_column(default=False)
    outcome_date: Mapped[date | None]
    new_facility_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("facilities.id", ondelete="SET NULL")
    )
    new_plafond: Mapped[Decimal | None]
    topup_amount: Mapped[Decimal | None]  # new plafond − old plafond (topped up only)
    lost_reason: Mapped[str | None] = mapped_column(sa.String(20))
    lost_note: Mapped[str] = mapped_column(sa.Text, default="")
    topup_allowed: Mapped[bool] = mapped_column(default=False)  # a supervisor's exception
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer = relationship("Customer")
    facility = relationship("Facility", foreign_keys=[facility_id])
    new_facility = relationship("Facility", foreign_keys=[new_facility_id])
    deposit_account = relationship("DepositAccount")
    officer = relationship("User")

    __mapper_args__ = {"version_id_col": version}

    @property
    def account_no(self) -> str:
        """The facility's or the deposit account's number."""
        record = self.facility if self.kind == Kind.LOAN else self.deposit_account
        return record.account_no

    @property
    def product(self) -> Product:
        """The facility's or the deposit account's product."""
        record = self.facility if self.kind == Kind.LOAN else self.deposit_account
        return record.product

    read_on = None  # the day a list read it (renewals.reads.with_facts); None: today

    @property
    def days_left(self) -> int:
        """Days from the day it was read to its maturity (negative once matured)."""
        return (self.maturity_date - (self.read_on or bank_today())).days

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED

    @property
    def awaiting_confirmation(self) -> bool:
        return self.stage == Stage.CLOSED and not self.confirmed


# --- Who may see what (aoapp.auth.scoping): the customer's current scope, as credit records ----
follows_its_customer(RenewalOpportunity)
