"""The run-off stored with the deposit rollups (issue 22): deposit_runoff, per listing date and
per (officer_id, branch_id) booking the accounts on the previous month-end listing, the accounts
closed or gone and their balance then, the accounts down by more than the bank's share and what
they lost; deposit_runoff_steps, for each date stored, that previous listing and the share used.
Filled set-based from the deposit positions already there, at FUNDING_RUNOFF_SHARE as the
environment gives it (0.5 unset): a bank whose app is configured otherwise reads the positions
for these dates (the steps say which share they hold) until the next import of each. The
downgrade drops both.

The definition is written out here as it is at this revision (a migration does not import the
app's code); funding/movements.runoff_base and runoff_sums are its definition from now on.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-07 08:00:00

"""

import os
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0041"
down_revision = "0040"
branch_labels = None
depends_on = None

GONE = "(n.id IS NULL OR n.status = 'closed')"
FILL = f"""INSERT INTO deposit_runoff
        (as_of, officer_id, branch_id, closed, closed_balance, dropped, dropped_loss)
    SELECT :day, b.officer_id, b.branch_id,
        SUM(CASE WHEN {GONE} THEN 1 ELSE 0 END),
        SUM(CASE WHEN {GONE} THEN b.balance ELSE 0 END),
        SUM(CASE WHEN {GONE} THEN 0 ELSE 1 END),
        SUM(CASE WHEN {GONE} THEN 0 ELSE b.balance - COALESCE(n.balance, 0) END)
    FROM deposit_positions b
    LEFT OUTER JOIN deposit_positions n ON n.account_id = b.account_id AND n.as_of = :day
    WHERE b.as_of = :previous AND b.status <> 'closed'
        AND ({GONE} OR n.balance < b.balance * :keep)
    GROUP BY b.officer_id, b.branch_id"""


def upgrade():
    op.create_table(
        "deposit_runoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.Column("closed_balance", sa.Numeric(18, 2), nullable=False),
        sa.Column("dropped", sa.Integer(), nullable=False),
        sa.Column("dropped_loss", sa.Numeric(18, 2), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit_runoff")),
    )
    steps = op.create_table(
        "deposit_runoff_steps",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("previous_as_of", sa.Date(), nullable=False),
        sa.Column("share", sa.Numeric(7, 4), nullable=False),
        sa.PrimaryKeyConstraint("as_of", name=op.f("pk_deposit_runoff_steps")),
    )
    share = Decimal(os.environ.get("FUNDING_RUNOFF_SHARE", "0.5").strip())
    connection = op.get_bind()
    as_of = sa.column("as_of", sa.Date())
    listed = sa.select(as_of).select_from(sa.table("deposit_positions")).distinct()
    dates = sorted(connection.scalars(listed.order_by(as_of)))
    fill = sa.text(FILL).bindparams(
        sa.bindparam("day", type_=sa.Date()),
        sa.bindparam("previous", type_=sa.Date()),
        sa.bindparam("keep", type_=sa.Numeric(7, 4)),
    )
    for day in dates:
        last = day.replace(day=1) - timedelta(days=1)
        before = [other for other in dates if last.replace(day=1) <= other <= last]
        if not before:
            continue
        values = {"day": day, "previous": before[-1], "keep": Decimal(1) - share}
        connection.execute(fill, values)
        op.bulk_insert(steps, [{"as_of": day, "previous_as_of": before[-1], "share": share}])
    op.create_index(
        "ix_deposit_runoff_as_of_branch", "deposit_runoff", ["as_of", "branch_id", "officer_id"]
    )


def downgrade():
    op.drop_table("deposit_runoff_steps")
    op.drop_table("deposit_runoff")
