"""Products the bank sells and introductions (one presentation of a product, with its outcome)."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.extensions import db


class ProductKind(StrEnum):
    CREDIT = "credit"
    DEPOSIT = "deposit"
    SERVICE = "service"


class CreditSubtype(StrEnum):
    WORKING_CAPITAL = "working_capital"
    INVESTMENT = "investment"
    KUR = "kur"
    MORTGAGE = "mortgage"
    VEHICLE = "vehicle"
    PERSONAL = "personal"


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


class Product(db.Model):
    """Something the bank sells: a credit, a deposit or a service."""

    __tablename__ = "products"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('credit', 'deposit', 'service')", name="kind"),
        sa.CheckConstraint(
            "(kind = 'credit') = (credit_subtype IS NOT NULL)", name="credit_subtype"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(20))
    credit_subtype: Mapped[str | None] = mapped_column(sa.String(30))
    active: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Product {self.code}>"


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
