"""Account plans: a customer's plan for one year (needs, goals, planned products, risks, the
next step, the review cadence), its goals, its planned products and supervisors' comments.

The review of a plan is a planned follow-up (purpose relationship) the plan links to by
`review_follow_up_id`, unique: one planned review per plan, never two.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.customers.models import follows_its_customer
from aoapp.extensions import db
from aoapp.plans import texts  # noqa: F401  (registers the system texts)


class GoalKind(StrEnum):
    OUTSTANDING_AT_LEAST = "outstanding_at_least"  # total outstanding ≥ target by the due date
    DPK_AT_LEAST = "dpk_at_least"  # DPK (giro + tabungan + deposito) ≥ target by the due date
    HOLDS_PRODUCT = "holds_product"  # holds a product, or a kind of product (giro), by then
    MAX_DPD = "max_dpd"  # no facility more than N days past due during the plan
    ACTION = "action"  # a dated action the officer marks done


class GoalState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MET = "met"
    MISSED = "missed"


class NeedTag(StrEnum):
    WORKING_CAPITAL = "working_capital"
    INVESTMENT = "investment"
    PAYROLL = "payroll"
    EDUCATION = "education"
    HOUSING = "housing"
    VEHICLE = "vehicle"
    SAVINGS = "savings"
    CASH_MANAGEMENT = "cash_management"


def _in(column: str, enum) -> str:
    return f"{column} IN ({', '.join(repr(member.value) for member in enum)})"


class AccountPlan(db.Model):
    """A customer's account plan for one year; the current plan is the current year's.

    `starts_on` is the day the plan was first saved: the goals' time runs from it (at risk when
    less than a quarter of it is left) and a DPD goal watches the listings from it.
    """

    __tablename__ = "account_plans"
    __table_args__ = (
        sa.UniqueConstraint("customer_id", "year"),
        sa.CheckConstraint("review_months BETWEEN 1 AND 12", name="review_months"),
        sa.Index("ix_account_plans_year_next_review", "year", "next_review_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id", ondelete="CASCADE"))
    year: Mapped[int]
    starts_on: Mapped[date]
    needs: Mapped[str] = mapped_column(sa.Text, default="")
    need_tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    risks: Mapped[str] = mapped_column(sa.Text, default="")
    next_step: Mapped[str] = mapped_column(sa.Text, default="")
    review_months: Mapped[int] = mapped_column(default=3)
    next_review_date: Mapped[date]
    last_reviewed_on: Mapped[date | None]
    review_follow_up_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("follow_ups.id", ondelete="SET NULL"), unique=True
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer = relationship("Customer")
    review_follow_up = relationship("FollowUp")
    created_by = relationship("User", foreign_keys=[created_by_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])
    goals: Mapped[list["AccountPlanGoal"]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="AccountPlanGoal.position",
    )
    products: Mapped[list["AccountPlanProduct"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="AccountPlanProduct.id"
    )
    comments: Mapped[list["AccountPlanComment"]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="AccountPlanComment.created_at.desc(), AccountPlanComment.id.desc()",
    )

    __mapper_args__ = {"version_id_col": version}


class AccountPlanGoal(db.Model):
    """One goal of a plan: a target measured from the listings, or a dated action.

    `amount` is the target of the money goals, `dpd` of max_dpd; holds_product names a `product`
    or a `category` (giro, tabungan, deposito, credit, service: customers.holdings'); an action
    is its `text`, `done` when the officer says so.
    """

    __tablename__ = "account_plan_goals"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", GoalKind), name="kind"),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
        sa.CheckConstraint("dpd IS NULL OR dpd >= 0", name="dpd"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account_plans.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(sa.String(30))
    amount: Mapped[Decimal | None]
    dpd: Mapped[int | None]
    product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("products.id"))
    category: Mapped[str | None] = mapped_column(sa.String(10))
    text: Mapped[str] = mapped_column(sa.String(200), default="")
    due_date: Mapped[date | None]
    done: Mapped[bool] = mapped_column(default=False)
    done_on: Mapped[date | None]  # the day an action was first marked done (reports of a past
    # period judge it as of then)

    plan: Mapped[AccountPlan] = relationship(back_populates="goals")
    product = relationship("Product")


class AccountPlanProduct(db.Model):
    """A product the plan means to offer the customer (its introductions are read by product)."""

    __tablename__ = "account_plan_products"
    __table_args__ = (sa.UniqueConstraint("plan_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account_plans.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))

    plan: Mapped[AccountPlan] = relationship(back_populates="products")
    product = relationship("Product")


class AccountPlanComment(db.Model):
    """A supervisor's comment on a plan, which the officer reads on it."""

    __tablename__ = "account_plan_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account_plans.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[AccountPlan] = relationship(back_populates="comments")
    author = relationship("User")


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------

follows_its_customer(AccountPlan)
