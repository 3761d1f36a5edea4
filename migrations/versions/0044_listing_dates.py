"""listing_dates: the dates of the loan and the deposits listings, read without the positions
(issue 22).

A statement asking which listings there are (the newest, the last on or before a day, each
month's last) over the month partitions of `positions` and `deposit_positions` is planned over
every partition; this small table answers instead (common/latest.py). The rollups' writers keep
it from now on; here it is filled from the positions already stored, walking down the dates (one
index probe per date, not a read of every position).

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-08 02:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0044"
down_revision = "0043"
branch_labels = None
depends_on = None

FILL = """
INSERT INTO listing_dates (kind, as_of)
WITH RECURSIVE walk(as_of) AS (
    SELECT max(as_of) FROM {table}
    UNION ALL
    SELECT (SELECT max(p.as_of) FROM {table} p WHERE p.as_of < walk.as_of)
    FROM walk WHERE walk.as_of IS NOT NULL
)
SELECT '{kind}', as_of FROM walk WHERE as_of IS NOT NULL
"""


def upgrade():
    op.create_table(
        "listing_dates",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "as_of", name=op.f("pk_listing_dates")),
    )
    for table, kind in (("positions", "loans"), ("deposit_positions", "deposits")):
        op.execute(FILL.format(table=table, kind=kind))


def downgrade():
    op.drop_table("listing_dates")
