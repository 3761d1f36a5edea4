"""Products the bank sells."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

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


class DepositType(StrEnum):
    """The three kinds of third-party funds (DPK)."""

    GIRO = "giro"  # current account
    TABUNGAN = "tabungan"  # savings
    DEPOSITO = "deposito"  # time deposit


class Product(db.Model):
    """Something the bank sells: a credit, a deposit or a service."""

    __tablename__ = "products"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('credit', 'deposit', 'service')", name="kind"),
        sa.CheckConstraint(
            "(kind = 'credit') = (credit_subtype IS NOT NULL)", name="credit_subtype"
        ),
        sa.CheckConstraint(
            "deposit_type IN ('giro', 'tabungan', 'deposito')", name="deposit_type_value"
        ),
        sa.CheckConstraint("(kind = 'deposit') = (deposit_type IS NOT NULL)", name="deposit_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(20))
    credit_subtype: Mapped[str | None] = mapped_column(sa.String(30))
    deposit_type: Mapped[str | None] = mapped_column(sa.String(10))  # deposits only: DepositType
    active: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Product {self.code}>"
