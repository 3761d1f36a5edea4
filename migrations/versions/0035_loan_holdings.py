"""The loan listing's holdings per date (issue 22): loan_holdings, one row per (as_of, customer,
product, officer, branch) of the positions, what the relationship figures read instead of
joining a date's positions to their facilities. Filled set-based for every date with month-end
aggregates (portfolio_rollups), the dates credit/rollups.py keeps them for. The downgrade drops
the table.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "loan_holdings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_holdings")),
    )
    op.execute(
        """INSERT INTO loan_holdings (as_of, customer_id, product_id, officer_id, branch_id)
           SELECT DISTINCT p.as_of, p.customer_id, f.product_id, p.officer_id, p.branch_id
           FROM positions p JOIN facilities f ON f.id = p.facility_id
           WHERE p.as_of IN (SELECT DISTINCT as_of FROM portfolio_rollups)"""
    )
    op.create_index("ix_loan_holdings_as_of_customer", "loan_holdings", ["as_of", "customer_id"])
    op.create_index(
        "ix_loan_holdings_as_of_branch", "loan_holdings", ["as_of", "branch_id", "officer_id"]
    )
    op.create_index("ix_loan_holdings_officer_as_of", "loan_holdings", ["officer_id", "as_of"])


def downgrade():
    op.drop_table("loan_holdings")
