"""Deposits: products.deposit_type, deposit_accounts and deposit_positions (the deposits listing)

A deposit product says which funds it holds: giro, tabungan or deposito. Deposit products that
exist already get it from their code or name (GIRO → giro, DEP… or "deposito" → deposito, else
tabungan, the common case); an admin corrects any on the product form.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-12 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

STATUS_CHECK = "status IN ('active', 'dormant', 'blocked', 'closed')"
TYPE_CHECK = "deposit_type IN ('giro', 'tabungan', 'deposito')"
GUESS = """
    UPDATE products SET deposit_type = CASE
        WHEN UPPER(code) LIKE 'GIRO%' OR LOWER(name) LIKE '%giro%' THEN 'giro'
        WHEN UPPER(code) LIKE 'DEP%' OR LOWER(name) LIKE '%deposito%' THEN 'deposito'
        ELSE 'tabungan' END
    WHERE kind = 'deposit'
"""


def upgrade():
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deposit_type", sa.String(length=10), nullable=True))
    op.execute(GUESS)
    _product_checks()
    _accounts()
    _positions()


def _product_checks():
    """The checks beside credit_subtype's (PostgreSQL; SQLite cannot add a check to a table that
    other tables' rows refer to without copying it, and the service refuses the same)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_check_constraint(
        op.f("ck_products_deposit_type_value"), "products", TYPE_CHECK
    )
    op.create_check_constraint(
        op.f("ck_products_deposit_type"),
        "products",
        "(kind = 'deposit') = (deposit_type IS NOT NULL)",
    )


def _accounts():
    op.create_table(
        "deposit_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_no", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("deposit_type", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("open_date", sa.Date(), nullable=False),
        sa.Column("maturity_date", sa.Date(), nullable=True),
        sa.Column("tenor_months", sa.Integer(), nullable=True),
        sa.Column("interest_rate", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("aro", sa.Boolean(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(status = 'closed') = (closed_on IS NOT NULL)",
            name=op.f("ck_deposit_accounts_closed_on"),
        ),
        sa.CheckConstraint(TYPE_CHECK, name=op.f("ck_deposit_accounts_deposit_type")),
        sa.CheckConstraint(STATUS_CHECK, name=op.f("ck_deposit_accounts_status")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_deposit_accounts_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_deposit_accounts_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit_accounts")),
        sa.UniqueConstraint("account_no", name=op.f("uq_deposit_accounts_account_no")),
    )
    op.create_index(
        op.f("ix_deposit_accounts_customer_id"), "deposit_accounts", ["customer_id"], unique=False
    )
    op.create_index(
        op.f("ix_deposit_accounts_product_id"), "deposit_accounts", ["product_id"], unique=False
    )


def _positions():
    op.create_table(
        "deposit_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("deposit_type", sa.String(length=10), nullable=False),
        sa.Column("balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("average_balance", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(TYPE_CHECK, name=op.f("ck_deposit_positions_deposit_type")),
        sa.CheckConstraint(STATUS_CHECK, name=op.f("ck_deposit_positions_status")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["deposit_accounts.id"],
            name=op.f("fk_deposit_positions_account_id_deposit_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit_positions")),
        sa.UniqueConstraint("account_id", "as_of", name="uq_deposit_positions_account_as_of"),
    )
    for name, columns in (
        ("ix_deposit_positions_as_of_branch", ["as_of", "branch_id"]),
        ("ix_deposit_positions_officer_as_of", ["officer_id", "as_of"]),
        ("ix_deposit_positions_customer_as_of", ["customer_id", "as_of"]),
    ):
        op.create_index(name, "deposit_positions", columns, unique=False)


def downgrade():
    op.drop_table("deposit_positions")
    op.drop_table("deposit_accounts")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_products_deposit_type"), "products", type_="check")
        op.drop_constraint(op.f("ck_products_deposit_type_value"), "products", type_="check")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("deposit_type")
