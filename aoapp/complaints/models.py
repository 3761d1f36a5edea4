"""Complaints: a customer's problem, handled by the officer or escalated to the supervisor."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.common.dates import utcnow
from aoapp.customers.models import follows_its_customer
from aoapp.extensions import db


class ReceivedChannel(StrEnum):
    BRANCH = "branch"
    CALL = "call"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    LETTER = "letter"
    VISIT = "visit"
    SOCIAL_MEDIA = "social_media"


class Category(StrEnum):
    BILLING = "billing"
    INTEREST_RATE = "interest_rate"
    SERVICE = "service"
    COLLECTION_CONDUCT = "collection_conduct"
    PRODUCT = "product"
    DATA = "data"
    OTHER = "other"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"


OPEN_STATUSES = (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS, ComplaintStatus.ESCALATED)


def _in(column: str, enum) -> str:
    return f"{column} IN ({', '.join(repr(member.value) for member in enum)})"


class Complaint(db.Model):
    """A customer's complaint, due by default 10 working days after receipt (OJK handling)."""

    __tablename__ = "complaints"
    __table_args__ = (
        sa.CheckConstraint(_in("channel", ReceivedChannel), name="channel"),
        sa.CheckConstraint(_in("category", Category), name="category"),
        sa.CheckConstraint(_in("priority", Priority), name="priority"),
        sa.CheckConstraint(_in("status", ComplaintStatus), name="status"),
        sa.Index("ix_complaints_officer_status_due", "officer_id", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"), index=True)
    facility_id: Mapped[int | None] = mapped_column(sa.ForeignKey("facilities.id"))
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))  # who handles it
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(20))
    category: Mapped[str] = mapped_column(sa.String(20))
    priority: Mapped[str] = mapped_column(sa.String(10), default=Priority.NORMAL)
    description: Mapped[str] = mapped_column(sa.Text)
    received_at: Mapped[datetime]
    due_date: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(20), default=ComplaintStatus.OPEN)
    escalated_at: Mapped[datetime | None]
    escalated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    escalation_reason: Mapped[str | None] = mapped_column(sa.Text)
    handed_back_at: Mapped[datetime | None]
    supervisor_note: Mapped[str | None] = mapped_column(sa.Text)  # why it was handed back
    resolution: Mapped[str | None] = mapped_column(sa.Text)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer = relationship("Customer")
    facility = relationship("Facility")
    branch = relationship("Branch")
    officer = relationship("User", foreign_keys=[officer_id])
    escalated_by = relationship("User", foreign_keys=[escalated_by_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])
    created_by = relationship("User", foreign_keys=[created_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------

follows_its_customer(Complaint)
