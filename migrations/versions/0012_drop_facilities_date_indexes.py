"""drop the facilities date indexes

Migration 0010 indexed facilities by start and maturity date for two watchlist signals (early
default, maturity soon). They helped only where few facilities start or mature in the window (the
load seed's data); with a real book, where about a tenth of the facilities started in the last
90 days, a scoped watchlist is driven from the scope's positions anyway. Meanwhile they cost every
listing import about 4 seconds per million facilities, so they go.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 08:50:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.drop_index("ix_facilities_start_date")
        batch_op.drop_index("ix_facilities_maturity_date")


def downgrade():
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.create_index("ix_facilities_maturity_date", ["maturity_date"], unique=False)
        batch_op.create_index("ix_facilities_start_date", ["start_date"], unique=False)
