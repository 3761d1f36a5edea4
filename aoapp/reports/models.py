"""A generated report file: what it covers, where it lives, and who made it when."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.auth.scoping import in_ids, is_officer, scope_rule
from aoapp.common.dates import utcnow
from aoapp.customers.models import customers_in_scope, follows_its_customer
from aoapp.extensions import db


class ReportKind(StrEnum):
    CUSTOMER = "customer"
    PORTFOLIO = "portfolio"


class ReportScope(StrEnum):
    """What a report covers: one customer, or the portfolio of an officer, a branch or the bank."""

    CUSTOMER = "customer"
    OFFICER = "officer"
    BRANCH = "branch"
    BANK = "bank"


class Report(db.Model):
    """One generated workbook under EXPORTS_DIR; recorded only once the file is complete.

    `scope_key` (`customer:12`, `officer:3`, `branch:1`, `bank`) makes a report unique per kind and
    period, so a rerun finds what is already done. `branch_id`/`officer_id` are the customer's
    (or portfolio's) at generation time; they drive who may see a portfolio report, while a
    customer report follows its customer's current scope.
    """

    __tablename__ = "reports"
    __table_args__ = (
        sa.UniqueConstraint("kind", "period", "scope_key", name="kind_period_scope"),
        sa.CheckConstraint("kind IN ('customer', 'portfolio')", name="kind"),
        sa.CheckConstraint("scope IN ('customer', 'officer', 'branch', 'bank')", name="scope"),
        sa.Index("ix_reports_period_branch_officer", "period", "branch_id", "officer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    period: Mapped[str] = mapped_column(sa.String(20))
    period_start: Mapped[date]
    period_end: Mapped[date]
    as_of: Mapped[date]
    scope: Mapped[str] = mapped_column(sa.String(10))
    scope_key: Mapped[str] = mapped_column(sa.String(40))
    customer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"))
    path: Mapped[str] = mapped_column(sa.String(400), unique=True)  # relative to EXPORTS_DIR
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    lang: Mapped[str] = mapped_column(sa.String(5), default="en")
    generated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)

    customer = relationship("Customer")
    officer = relationship("User", foreign_keys=[officer_id])
    branch = relationship("Branch")
    generated_by = relationship("User", foreign_keys=[generated_by_id])

    @property
    def filename(self) -> str:
        """The file's own name (the last part of its path)."""
        return self.path.rsplit("/", 1)[-1]


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------


@scope_rule(Report)
def _reports(user) -> sa.ColumnElement[bool]:
    """A customer's reports follow the customer's current scope, like every record of the
    customer (its former officer no longer sees them); a portfolio report is seen where it is
    booked: its officer (officer), or the branches the user supervises (supervisor)."""
    if is_officer(user):
        booked = Report.officer_id == user.id
    else:
        booked = Report.branch_id.in_(user.supervised_branch_ids)
    return sa.or_(
        sa.and_(Report.kind != ReportKind.CUSTOMER.value, booked),
        sa.and_(
            Report.kind == ReportKind.CUSTOMER.value,
            in_ids(Report.customer_id, customers_in_scope(user)),
        ),
    )


class ReportReview(db.Model):
    """A supervisor's (or admin's) review of a customer's report for a period, with a note.

    It belongs to the customer's period, not to one file: a regenerated report keeps its reviews,
    and the next generation of the workbook shows the latest one on its monitoring report.
    `report_id` is the record the review was made from (kept for the trail; NULL once deleted).
    """

    __tablename__ = "report_reviews"
    __table_args__ = (
        sa.Index("ix_report_reviews_customer_period", "customer_id", "period", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(sa.String(20))
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reports.id", ondelete="SET NULL"))
    reviewed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(sa.Text, default="")

    customer = relationship("Customer")
    reviewed_by = relationship("User")


# Reviews follow their customer: whoever may see the customer sees its reports' reviews.
follows_its_customer(ReportReview)


class ReportBatch(db.Model):
    """Customer reports asked for on the reports page and made in the background (RQ), one job
    per customer: who asked, for what, and how far the jobs are (each job counts itself).

    Only its owner sees it (`reports.batches`): a batch of someone else answers 404.
    """

    __tablename__ = "report_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    period: Mapped[str] = mapped_column(sa.String(20))
    scope: Mapped[str] = mapped_column(sa.String(10))
    officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"))
    lang: Mapped[str] = mapped_column(sa.String(5))
    force: Mapped[bool] = mapped_column(default=False)
    total: Mapped[int]
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # The last sign of life of its jobs (one starting or counting itself); None: created_at.
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=utcnow)

    @property
    def finished(self) -> bool:
        """Every job has run (made its report or failed), or the batch was stopped."""
        return self.finished_at is not None

    @property
    def stopped(self) -> bool:
        """Closed before its jobs had all run: its workers stopped responding."""
        return self.finished and self.done + self.failed < self.total

    @property
    def percent(self) -> int:
        """How far the batch is, 0–100."""
        return min(100, (self.done + self.failed) * 100 // self.total) if self.total else 100
