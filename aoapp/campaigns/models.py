"""Marketing campaigns, the branches they run in and the products they promote."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.extensions import db


class CampaignChannel(StrEnum):
    FLYER = "flyer"
    SOCIAL_MEDIA = "social_media"
    EVENT = "event"
    REFERRAL_PROGRAM = "referral_program"
    OTHER = "other"


campaign_branches = sa.Table(
    "campaign_branches",
    db.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("branch_id", sa.ForeignKey("branches.id"), primary_key=True, index=True),
)

campaign_products = sa.Table(
    "campaign_products",
    db.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("product_id", sa.ForeignKey("products.id"), primary_key=True),
)


class Campaign(db.Model):
    """A marketing campaign run in one or more branches over a period."""

    __tablename__ = "campaigns"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="period_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    channel: Mapped[str] = mapped_column(sa.String(20))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    cost: Mapped[Decimal | None]  # optional: what marketing spent, for cost per customer
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    branches = relationship("Branch", secondary=campaign_branches, order_by="Branch.code")
    products = relationship("Product", secondary=campaign_products, order_by="Product.code")
    created_by = relationship("User")

    def __repr__(self) -> str:
        return f"<Campaign {self.name}>"
