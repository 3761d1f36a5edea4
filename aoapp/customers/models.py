"""Customers with a CIF number, and the products they hold."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aoapp.auth.scoping import is_officer, scope_condition, scope_rule
from aoapp.common.dates import utcnow
from aoapp.common.search_text import SEARCH_KEY_FUNCTION
from aoapp.extensions import db


class CustomerType(StrEnum):
    INDIVIDUAL = "individual"
    COMPANY = "company"


class Segment(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    CORPORATE = "corporate"
    CONSUMER = "consumer"


class Customer(db.Model):
    """A bank customer, identified by the core banking system's CIF number."""

    __tablename__ = "customers"
    __table_args__ = (
        sa.CheckConstraint("customer_type IN ('individual', 'company')", name="customer_type"),
        # The customers an officer won in a period (targets, the dashboards): a range per
        # officer, not every customer of the officers read (migration 0039).
        sa.Index("ix_customers_officer_since", "officer_id", "since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cif: Mapped[str] = mapped_column(sa.String(30), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), index=True)
    # The name's words in lower-case ASCII (common.search_text), computed by the database: what
    # the header search matches and orders by (indexes in search/indexes.py, migration 0017).
    name_key: Mapped[str | None] = mapped_column(
        sa.Text, sa.Computed(f"{SEARCH_KEY_FUNCTION}(name)", persisted=True)
    )
    customer_type: Mapped[str] = mapped_column(sa.String(20))
    nik: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    npwp: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    phone: Mapped[str | None] = mapped_column(sa.String(20), index=True)  # normalised: 628…
    email: Mapped[str | None] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.Text, default="")
    # The address on the map (decimal degrees), when recorded: visits are measured from it.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    segment: Mapped[str] = mapped_column(sa.String(20))
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    since: Mapped[date]
    # The consumer's prior agreement to collection contact at these local hours (`20:00-21:00`)
    # beside the bank's window (POJK 22/2023 art. 62(2)): who recorded it and when.
    collection_consent_hours: Mapped[str | None] = mapped_column(sa.String(11))
    collection_consent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    collection_consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking: a save based on an older version is refused (409), nothing is lost.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    branch = relationship("Branch")
    officer = relationship("User", foreign_keys=[officer_id])
    collection_consent_by = relationship("User", foreign_keys=[collection_consent_by_id])
    holdings: Mapped[list["ProductHolding"]] = relationship(
        back_populates="customer", cascade="all, delete-orphan"
    )
    introductions = relationship(
        "Introduction", back_populates="customer", order_by="Introduction.introduced_on.desc()"
    )

    def __repr__(self) -> str:
        return f"<Customer {self.cif}>"


class ProductHolding(db.Model):
    """A product a customer holds at the bank (an account, a deposit, a service)."""

    __tablename__ = "product_holdings"
    __table_args__ = (sa.UniqueConstraint("customer_id", "product_id", name="customer_product"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    account_no: Mapped[str | None] = mapped_column(sa.String(40))
    opened_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="holdings")
    product = relationship("Product")


# --- Who may see what (aoapp.auth.scoping) ------------------------------------------------------


@scope_rule(Customer)
def _customers(user) -> sa.ColumnElement[bool]:
    if is_officer(user):
        return Customer.officer_id == user.id
    return Customer.branch_id.in_(user.supervised_branch_ids)


def customers_in_scope(user) -> sa.Select:
    """The ids of the customers `user` may see."""
    return sa.select(Customer.id).where(scope_condition(user, Customer))


def follows_its_customer(model: type) -> None:
    """Register `model` (with a customer_id) as seen by whoever may see its customer now."""

    @scope_rule(model)
    def _rule(user) -> sa.ColumnElement[bool]:
        return model.customer_id.in_(customers_in_scope(user))


follows_its_customer(ProductHolding)
