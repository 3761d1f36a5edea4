"""Introductions: one presentation of a product to a prospect or a customer, with its outcome."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.auth.scoping import scope_condition, scope_rule
from aoapp.common.dates import utcnow
from aoapp.customers.models import customers_in_scope
from aoapp.extensions import db
from aoapp.products.models import Product
from aoapp.prospects.models import Prospect


class IntroductionPlace(StrEnum):
    CLIENT_OFFICE = "client_office"
    BRANCH = "branch"
    PHONE = "phone"
    ONLINE = "online"
    EVENT = "event"


class IntroductionOutcome(StrEnum):
    INTERESTED = "interested"
    NOT_INTERESTED = "not_interested"
    NEEDS_TIME = "needs_time"
    APPLIED = "applied"
    ALREADY_HAS = "already_has"


class Introduction(db.Model):
    """One presentation of a product to a prospect or a customer (exactly one of them)."""

    __tablename__ = "introductions"
    __table_args__ = (
        sa.CheckConstraint("(prospect_id IS NULL) <> (customer_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prospects.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    introduced_on: Mapped[date]
    place: Mapped[str] = mapped_column(sa.String(20))
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    understood: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str] = mapped_column(sa.String(20))
    follow_up_date: Mapped[date | None]
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    product: Mapped[Product] = relationship()
    officer = relationship("User")
    prospect = relationship("Prospect", back_populates="introductions")
    customer = relationship("Customer", back_populates="introductions")
    campaign = relationship("Campaign")


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------


@scope_rule(Introduction)
def _introductions(user) -> sa.ColumnElement[bool]:
    """Introductions to a prospect or a customer the user may see."""
    prospects = sa.select(Prospect.id).where(scope_condition(user, Prospect))
    return sa.or_(
        Introduction.prospect_id.in_(prospects),
        Introduction.customer_id.in_(customers_in_scope(user)),
    )
