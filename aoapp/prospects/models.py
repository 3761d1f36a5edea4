"""Prospects (potential customers) and the history of their pipeline status."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.auth.scoping import is_officer, officer_ids_of_branches, scope_rule
from aoapp.common.dates import utcnow
from aoapp.common.search_text import SEARCH_KEY_FUNCTION
from aoapp.extensions import db


class ProspectSource(StrEnum):
    FLYER = "flyer"
    SOCIAL_MEDIA = "social_media"
    REFERRAL = "referral"
    WALK_IN = "walk_in"
    EVENT = "event"
    EXISTING_CUSTOMER = "existing_customer"
    OTHER = "other"


class ProspectStatus(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    INTERESTED = "interested"
    APPLIED = "applied"
    WON = "won"
    REJECTED = "rejected"
    LOST = "lost"


class LostReason(StrEnum):
    NOT_INTERESTED = "not_interested"
    RATE_TOO_HIGH = "rate_too_high"
    NO_COLLATERAL = "no_collateral"
    NOT_ELIGIBLE = "not_eligible"
    CHOSE_COMPETITOR = "chose_competitor"
    UNREACHABLE = "unreachable"
    RUDE_REFUSAL = "rude_refusal"
    OTHER = "other"


class Prospect(db.Model):
    """A potential customer collected by an officer."""

    __tablename__ = "prospects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # The name's words in lower-case ASCII (common.search_text), computed by the database: what
    # the header search matches and orders by (indexes in search/indexes.py, migration 0017).
    name_key: Mapped[str | None] = mapped_column(
        sa.Text, sa.Computed(f"{SEARCH_KEY_FUNCTION}(name)", persisted=True)
    )
    phone: Mapped[str] = mapped_column(sa.String(20), index=True)  # normalised: 628…
    email: Mapped[str | None] = mapped_column(sa.String(254))
    nik: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    address: Mapped[str] = mapped_column(sa.Text, default="")
    area: Mapped[str] = mapped_column(sa.String(120), default="")
    business_type: Mapped[str] = mapped_column(sa.String(120), default="")
    estimated_credit_need: Mapped[Decimal | None]
    product_interest_id: Mapped[int | None] = mapped_column(sa.ForeignKey("products.id"))
    source: Mapped[str] = mapped_column(sa.String(20))
    referrer_customer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    referrer_name: Mapped[str | None] = mapped_column(sa.String(120))
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=ProspectStatus.NEW, index=True)
    lost_reason: Mapped[str | None] = mapped_column(sa.String(30))
    lost_note: Mapped[str | None] = mapped_column(sa.Text)
    # `next_follow_up_date`, the day of the earliest planned follow-up, is a read-only column
    # that follow-ups supply (prospects.hooks.next_contact_source): one source of truth.
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    customer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="SET NULL"), unique=True
    )
    converted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking: a save based on an older version is refused (409), nothing is lost.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    owner = relationship("User")
    product_interest = relationship("Product")
    referrer_customer = relationship("Customer", foreign_keys=[referrer_customer_id])
    customer = relationship("Customer", foreign_keys=[customer_id])
    campaign = relationship("Campaign")
    history: Mapped[list["ProspectStatusChange"]] = relationship(
        back_populates="prospect",
        order_by="ProspectStatusChange.id",
        cascade="all, delete-orphan",
    )
    introductions = relationship(
        "Introduction", back_populates="prospect", order_by="Introduction.introduced_on.desc()"
    )

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


CLOSED_STATUSES = {ProspectStatus.WON, ProspectStatus.REJECTED, ProspectStatus.LOST}


class ProspectStatusChange(db.Model):
    """One change of a prospect's pipeline status, kept so conversion times can be reported."""

    __tablename__ = "prospect_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(
        sa.ForeignKey("prospects.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str | None] = mapped_column(sa.String(30))
    note: Mapped[str | None] = mapped_column(sa.Text)
    changed_on: Mapped[date]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    prospect: Mapped[Prospect] = relationship(back_populates="history")
    changed_by = relationship("User")


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------


@scope_rule(Prospect)
def _prospects(user) -> sa.ColumnElement[bool]:
    if is_officer(user):
        return Prospect.owner_id == user.id
    return Prospect.owner_id.in_(officer_ids_of_branches(user.supervised_branch_ids))
