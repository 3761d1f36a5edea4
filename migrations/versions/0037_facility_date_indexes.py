"""Indexes on the facilities' start and maturity dates (issue 22): the watchlist's "maturity soon"
and "early default" signals, the month's new disbursement (targets) and the renewals' maturing
loans find their few facilities by date instead of reading every facility or every position of
the scope. The downgrade drops them.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-06 15:30:00

"""

from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_facilities_start_date", "facilities", ["start_date"])
    op.create_index("ix_facilities_maturity_date", "facilities", ["maturity_date"])


def downgrade():
    op.drop_index("ix_facilities_maturity_date", table_name="facilities")
    op.drop_index("ix_facilities_start_date", table_name="facilities")
